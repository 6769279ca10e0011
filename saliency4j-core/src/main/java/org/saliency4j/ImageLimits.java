package org.saliency4j;

/**
 * Bounds on what an image may cost before it is decoded: image bombs declare huge sizes in a small file.
 *
 * @param maxBytes  the largest encoded image accepted
 * @param maxPixels the largest width x height accepted, read from the header before decoding
 */
public record ImageLimits(long maxBytes, long maxPixels) {

    public ImageLimits {
        if (maxBytes < 1 || maxPixels < 1) {
            throw Vocabulary.MAX_PIXELS.invalid("limits must be positive, got " + maxBytes + " bytes, "
                    + maxPixels + " pixels");
        }
    }

    /** 128 MiB and 64 megapixels: any real photo, and no bomb. */
    public static ImageLimits defaults() {
        return new ImageLimits(128L << 20, Vocabulary.MAX_PIXELS.defaultValue());
    }
}
