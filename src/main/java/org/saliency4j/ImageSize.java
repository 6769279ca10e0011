package org.saliency4j;

/**
 * An image's size in pixels, as its header declares it: what admission control weighs before any pixel is
 * decoded.
 */
public record ImageSize(int width, int height) {
    public ImageSize {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("an image has at least one pixel, got " + width + "x" + height);
        }
    }

    public long pixels() {
        return (long) width * height;
    }
}
