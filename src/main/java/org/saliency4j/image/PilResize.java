package org.saliency4j.image;

import org.saliency4j.Picture;

/**
 * Pillow's {@code Image.resize(size, BILINEAR)} for 8-bit RGB, reproduced operation for operation (Pillow's
 * {@code libImaging/Resample.c}): a triangle filter widened by the scale factor when shrinking (antialiasing),
 * coefficients in 22-bit fixed point, a horizontal pass rounded to 8 bits, then a vertical pass. torchvision's
 * {@code Resize} calls exactly this on PIL images, so the model sees the tensor PyTorch users feed it. OpenCV has
 * no such filter: its bilinear does not widen when shrinking, and its area averaging differs in the weights.
 */
final class PilResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 1.0;

    private PilResize() {
    }

    static Picture resize(Picture image, int width, int height) {
        int inW = image.width();
        int inH = image.height();
        if (inW == width && inH == height) {
            return image;
        }
        byte[] pixels = image.toRgbBytes();
        Coefficients horizontal = Coefficients.of(inW, width);
        Coefficients vertical = Coefficients.of(inH, height);
        int rows = inH;
        int firstRow = 0;
        if (inW != width) {
            // Only the source rows the vertical pass reads are resized horizontally.
            firstRow = vertical.bounds[0];
            int lastRow = vertical.bounds[(height - 1) * 2] + vertical.bounds[(height - 1) * 2 + 1];
            rows = lastRow - firstRow;
            pixels = horizontalPass(pixels, inW, firstRow, rows, width, horizontal);
            inW = width;
        }
        if (inH != height) {
            pixels = verticalPass(pixels, inW, firstRow, height, vertical);
        }
        return new Picture(width, height, pixels);
    }

    private static byte[] horizontalPass(byte[] in, int inW, int firstRow, int rows, int outW, Coefficients k) {
        byte[] out = new byte[rows * outW * 3];
        for (int y = 0; y < rows; y++) {
            int rowStart = (y + firstRow) * inW * 3;
            for (int x = 0; x < outW; x++) {
                int min = k.bounds[x * 2];
                int count = k.bounds[x * 2 + 1];
                int kOffset = x * k.size;
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int i = 0; i < count; i++) {
                    int p = rowStart + (min + i) * 3;
                    int w = k.fixed[kOffset + i];
                    r += (in[p] & 0xff) * w;
                    g += (in[p + 1] & 0xff) * w;
                    b += (in[p + 2] & 0xff) * w;
                }
                int o = (y * outW + x) * 3;
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return out;
    }

    /** {@code firstRow} is the source row that row 0 of {@code in} holds (non-zero after a horizontal pass). */
    private static byte[] verticalPass(byte[] in, int w, int firstRow, int outH, Coefficients k) {
        byte[] out = new byte[outH * w * 3];
        for (int y = 0; y < outH; y++) {
            int min = k.bounds[y * 2] - firstRow;
            int count = k.bounds[y * 2 + 1];
            int kOffset = y * k.size;
            for (int x = 0; x < w; x++) {
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int i = 0; i < count; i++) {
                    int p = ((min + i) * w + x) * 3;
                    int weight = k.fixed[kOffset + i];
                    r += (in[p] & 0xff) * weight;
                    g += (in[p + 1] & 0xff) * weight;
                    b += (in[p + 2] & 0xff) * weight;
                }
                int o = (y * w + x) * 3;
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return out;
    }

    private static byte clip8(int value) {
        if (value >= (1 << PRECISION_BITS << 8)) {
            return (byte) 255;
        }
        if (value <= 0) {
            return 0;
        }
        return (byte) (value >> PRECISION_BITS);
    }

    /** Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} for one axis. */
    private record Coefficients(int size, int[] bounds, int[] fixed) {
        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] fixed = new int[outSize * size];
            double[] weights = new double[size];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double inverse = 1.0 / filterScale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize) - min;
                double total = 0;
                for (int x = 0; x < max; x++) {
                    double w = triangle((x + min - center + 0.5) * inverse);
                    weights[x] = w;
                    total += w;
                }
                for (int x = 0; x < max; x++) {
                    double w = total != 0 ? weights[x] / total : weights[x];
                    fixed[xx * size + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                            : (int) (0.5 + w * (1 << PRECISION_BITS));
                }
                bounds[xx * 2] = min;
                bounds[xx * 2 + 1] = max;
            }
            return new Coefficients(size, bounds, fixed);
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    }
}
