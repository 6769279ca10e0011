package org.saliency4j;

import java.awt.image.BufferedImage;

/** An 8-bit RGB image, row-major, three bytes a pixel: a decoded input or a rendering. */
public final class Picture {
    /** The most pixels a picture can hold: three bytes each in one Java array. */
    public static final long MAX_PIXELS = (Integer.MAX_VALUE - 8) / 3;

    private final int width;
    private final int height;
    private final byte[] rgb;

    /** A picture of a copy of {@code rgb}. */
    public Picture(int width, int height, byte[] rgb) {
        this(width, height, rgb, true);
    }

    private Picture(int width, int height, byte[] rgb, boolean copy) {
        if (width <= 0 || height <= 0 || rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB picture needs "
                    + (long) width * height * 3 + " bytes, got " + rgb.length);
        }
        this.width = width;
        this.height = height;
        this.rgb = copy ? rgb.clone() : rgb;
    }

    /**
     * A picture that takes {@code rgb} as it is, without a copy: for arrays made for the picture (a decoder's or
     * a renderer's output), where a copy would briefly hold a large image twice. The caller must not change the
     * array afterwards.
     */
    public static Picture wrap(int width, int height, byte[] rgb) {
        return new Picture(width, height, rgb, false);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** A copy of the pixels: R, G, B for each pixel, rows top to bottom. */
    public byte[] toRgbBytes() {
        return rgb.clone();
    }

    /** The red, green or blue value (0-255) at (x, y). */
    public int channel(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }

    /** Encodes as PNG. */
    public byte[] toPng() {
        return org.saliency4j.image.ImageCodec.encode(this, ImageFormat.PNG);
    }

    /** Encodes in the given format. */
    public byte[] encode(ImageFormat format) {
        return org.saliency4j.image.ImageCodec.encode(this, format);
    }

    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                row[x] = (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }
}
