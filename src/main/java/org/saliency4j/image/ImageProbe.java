package org.saliency4j.image;

import org.saliency4j.ImageLimits;
import org.saliency4j.SaliencyException;

/**
 * Reads an encoded image's format, size and EXIF orientation from its header, without decoding pixels,
 * so that unsupported files and image bombs are refused before any pixel memory is allocated.
 *
 * <p>The readers are small parsers of exactly what this needs, working on the bytes given: every length they
 * read is checked against the bytes present before use, they walk a bounded number of segments, chunks or
 * directory entries, decompress nothing and copy nothing, so whatever a header declares, reading it allocates a
 * fixed few kilobytes. (A general metadata library allocated a PNG chunk's declared length, 2 GB for a
 * 52-byte file, and inflated compressed text chunks without limit.)
 */
final class ImageProbe {

    /** What the header says. {@code orientation} is the EXIF value 1-8 (1 when absent). */
    record Header(ImageType type, int width, int height, int orientation) {
        /** The orientation left to apply once the codec has decoded the image. */
        int orientationToApply() {
            return type.codecOrients() ? 1 : orientation;
        }

        /** The width the codec returns: the declared one, or the height when the codec turned it a quarter. */
        int decodedWidth() {
            return codecTurns() ? height : width;
        }

        int decodedHeight() {
            return codecTurns() ? width : height;
        }

        /** Orientations 5-8 swap the axes. */
        private boolean codecTurns() {
            return type.codecOrients() && orientation >= 5;
        }
    }

    /** What a format's reader found: sizes as declared (0 when none), before they are checked. */
    record Declared(long width, long height, int orientation) {
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
        ImageType type = ImageType.detect(name, encoded);
        Declared declared;
        try {
            HeaderBytes bytes = HeaderBytes.of(encoded);
            declared = switch (type) {
                case JPEG -> JpegHeader.read(bytes);
                case PNG -> PngHeader.read(bytes);
                case BMP -> BmpHeader.read(bytes);
                case TIFF -> TiffHeader.read(bytes);
                case WEBP -> WebpHeader.read(bytes);
            };
        } catch (HeaderBytes.Damaged e) {
            throw imageError(name, "the " + type.label() + " header cannot be read: " + e.getMessage()
                    + " (damaged or truncated?)");
        }
        long width = declared.width();
        long height = declared.height();
        if (width < 1 || height < 1 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw imageError(name, "the " + type.label() + " header declares no usable size (damaged or truncated?)");
        }
        if (width * height > limits.maxPixels()) {
            throw new SaliencyException(SaliencyException.Kind.IMAGE_TOO_LARGE, name, "the image declares "
                    + width + "x" + height + " = " + width * height + " pixels, more than the limit of "
                    + limits.maxPixels() + " (not decoded)");
        }
        return new Header(type, (int) width, (int) height, declared.orientation());
    }

    static SaliencyException imageError(String name, String problem) {
        return new SaliencyException(SaliencyException.Kind.IMAGE, name, problem);
    }
}
