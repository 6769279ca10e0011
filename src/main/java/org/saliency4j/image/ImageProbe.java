package org.saliency4j.image;

import com.drew.imaging.FileType;
import com.drew.imaging.FileTypeDetector;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.imaging.png.PngChunkType;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.MetadataException;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;
import org.saliency4j.ImageLimits;
import org.saliency4j.SaliencyException;

/**
 * Reads an encoded image's format, size and EXIF orientation from its header, without decoding pixels,
 * so that unsupported files and image bombs are refused before any pixel memory is allocated.
 */
final class ImageProbe {
    private static final Set<FileType> SUPPORTED = Set.of(FileType.Jpeg, FileType.Png, FileType.Bmp, FileType.Tiff,
            FileType.WebP);

    /** What the header says. {@code orientation} is the EXIF value 1-8 (1 when absent). */
    record Header(FileType type, int width, int height, int orientation) {
    }

    private ImageProbe() {
    }

    static Header read(String name, byte[] encoded, ImageLimits limits) {
        if (encoded.length == 0) {
            throw imageError(name, "the file is empty");
        }
        if (encoded.length > limits.maxBytes()) {
            throw new SaliencyException(SaliencyException.Kind.IMAGE_TOO_LARGE, name, "the file has "
                    + encoded.length + " bytes, more than the limit of " + limits.maxBytes());
        }
        FileType type = detect(name, encoded);
        Metadata metadata;
        try {
            metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(encoded), encoded.length, type);
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            throw imageError(name, "the " + type.getName() + " header cannot be read (damaged or truncated?)");
        }
        int[] size = size(type, metadata);
        if (size == null || size[0] <= 0 || size[1] <= 0) {
            throw imageError(name, "the " + type.getName() + " header declares no usable size (damaged or truncated?)");
        }
        long pixels = (long) size[0] * size[1];
        if (pixels > limits.maxPixels()) {
            throw new SaliencyException(SaliencyException.Kind.IMAGE_TOO_LARGE, name, "the image declares "
                    + size[0] + "x" + size[1] + " = " + pixels + " pixels, more than the limit of "
                    + limits.maxPixels() + " (not decoded)");
        }
        return new Header(type, size[0], size[1], orientation(metadata));
    }

    private static FileType detect(String name, byte[] encoded) {
        FileType type;
        try {
            type = FileTypeDetector.detectFileType(new BufferedInputStream(new ByteArrayInputStream(encoded)));
        } catch (IOException e) {
            type = FileType.Unknown;
        }
        if (!SUPPORTED.contains(type)) {
            throw new SaliencyException(SaliencyException.Kind.IMAGE_FORMAT, name, type == FileType.Unknown
                    ? "not an image (expected JPEG, PNG, BMP, TIFF or WebP)"
                    : "unsupported format " + type.getName() + " (expected JPEG, PNG, BMP, TIFF or WebP)");
        }
        return type;
    }

    /** {width, height}, or null when the header has none. */
    private static int[] size(FileType type, Metadata metadata) {
        try {
            if (type == FileType.Jpeg) {
                JpegDirectory jpeg = metadata.getFirstDirectoryOfType(JpegDirectory.class);
                return jpeg == null ? null : new int[]{jpeg.getImageWidth(), jpeg.getImageHeight()};
            }
            if (type == FileType.Png) {
                for (PngDirectory png : metadata.getDirectoriesOfType(PngDirectory.class)) {
                    if (png.getPngChunkType().equals(PngChunkType.IHDR)) {
                        return pair(png, PngDirectory.TAG_IMAGE_WIDTH, PngDirectory.TAG_IMAGE_HEIGHT);
                    }
                }
                return null;
            }
            if (type == FileType.Bmp) {
                int[] wh = pair(metadata.getFirstDirectoryOfType(BmpHeaderDirectory.class),
                        BmpHeaderDirectory.TAG_IMAGE_WIDTH, BmpHeaderDirectory.TAG_IMAGE_HEIGHT);
                // A negative BMP height means rows are stored top-down; the size is its absolute value.
                return wh == null ? null : new int[]{wh[0], Math.abs(wh[1])};
            }
            if (type == FileType.WebP) {
                return pair(metadata.getFirstDirectoryOfType(WebpDirectory.class),
                        WebpDirectory.TAG_IMAGE_WIDTH, WebpDirectory.TAG_IMAGE_HEIGHT);
            }
            return pair(metadata.getFirstDirectoryOfType(ExifIFD0Directory.class),
                    ExifIFD0Directory.TAG_IMAGE_WIDTH, ExifIFD0Directory.TAG_IMAGE_HEIGHT);
        } catch (MetadataException e) {
            return null;
        }
    }

    private static int[] pair(Directory directory, int widthTag, int heightTag) throws MetadataException {
        if (directory == null || !directory.containsTag(widthTag) || !directory.containsTag(heightTag)) {
            return null;
        }
        return new int[]{directory.getInt(widthTag), directory.getInt(heightTag)};
    }

    private static int orientation(Metadata metadata) {
        for (ExifIFD0Directory exif : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
            Integer value = exif.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
            if (value != null && value >= 1 && value <= 8) {
                return value;
            }
        }
        return 1;
    }

    static SaliencyException imageError(String name, String problem) {
        return new SaliencyException(SaliencyException.Kind.IMAGE, name, problem);
    }
}
