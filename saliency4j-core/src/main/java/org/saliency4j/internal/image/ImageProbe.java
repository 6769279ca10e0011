package org.saliency4j.internal.image;

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

    /**
     * What the header says. {@code orientation} is the EXIF value 1-8 (1 when absent); {@code channels} (1-4) and
     * {@code bytesPerSample} (1, 2, 4 or 8) describe the Mat that OpenCV's {@code IMREAD_UNCHANGED} decode returns,
     * the largest plausible where the header leaves them open.
     */
    record Header(ImageType type, int width, int height, int orientation, int channels, int bytesPerSample) {
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

    /**
     * What a format's reader found: sizes as declared (0 when none), before they are checked, and the samples per
     * pixel and bytes per sample the decoder will return (4 and the format's widest sample where the header is
     * silent or odd about them: a cost estimate errs high, and never refuses an image).
     */
    record Declared(long width, long height, int orientation, int channels, int bytesPerSample) {
        Declared {
            if (channels < 1 || channels > 4 || bytesPerSample != 1 && bytesPerSample != 2 && bytesPerSample != 4
                    && bytesPerSample != 8) {
                throw new IllegalArgumentException(channels + " channels of " + bytesPerSample + " bytes");
            }
        }
    }

    /** The bytes a sample of {@code bits} bits takes once decoded: 1, 2, 4 or 8 (8 beyond 32 bits). */
    static int bytesPerSample(long bits) {
        return bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
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
        return new Header(type, (int) width, (int) height, declared.orientation(), declared.channels(),
                declared.bytesPerSample());
    }

    static SaliencyException imageError(String name, String problem) {
        return new SaliencyException(SaliencyException.Kind.IMAGE, name, problem);
    }
}
