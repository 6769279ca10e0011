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
        return resize(image, width, height, 0, 0, width, height);
    }

    /**
     * The window ({@code left}, {@code top}, {@code cropW} x {@code cropH}) of the {@code width} x {@code height}
     * resize: each output pixel depends only on its own coefficients, so computing only the window that a centre
     * crop keeps gives the same pixels for less work.
     */
    static Picture resize(Picture image, int width, int height, int left, int top, int cropW, int cropH) {
        int inW = image.width();
        int inH = image.height();
        if (inW == width && inH == height) {
            return left == 0 && top == 0 && cropW == width && cropH == height ? image
                    : crop(image.toRgbBytes(), inW, left, top, cropW, cropH);
        }
        byte[] pixels = image.toRgbBytes();
        Coefficients horizontal = Coefficients.of(inW, width);
        Coefficients vertical = Coefficients.of(inH, height);
        // The source rows the vertical pass reads for the window's rows.
        int firstRow = inH == height ? top : vertical.bounds[top * 2];
        int lastRow = inH == height ? top + cropH
                : vertical.bounds[(top + cropH - 1) * 2] + vertical.bounds[(top + cropH - 1) * 2 + 1];
        int rows = lastRow - firstRow;
        int rowWidth = inW;
        int columnOffset = left;
        // The source row that row 0 of `pixels` holds: the horizontal pass keeps only the rows needed.
        int rowBase = 0;
        if (inW != width) {
            pixels = horizontalPass(pixels, inW, firstRow, rows, left, cropW, horizontal);
            rowWidth = cropW;
            columnOffset = 0;
            rowBase = firstRow;
        }
        if (inH != height) {
            return new Picture(cropW, cropH, verticalPass(pixels, rowWidth, columnOffset, cropW, rowBase, top, cropH,
                    vertical));
        }
        return crop(pixels, rowWidth, columnOffset, top - rowBase, cropW, cropH);
    }

    private static Picture crop(byte[] rgb, int rowWidth, int left, int top, int cropW, int cropH) {
        byte[] out = new byte[cropW * cropH * 3];
        for (int y = 0; y < cropH; y++) {
            System.arraycopy(rgb, ((top + y) * rowWidth + left) * 3, out, y * cropW * 3, cropW * 3);
        }
        return new Picture(cropW, cropH, out);
    }

    /** Columns {@code left .. left + outW} of the resized rows {@code firstRow .. firstRow + rows}. */
    private static byte[] horizontalPass(byte[] in, int inW, int firstRow, int rows, int left, int outW,
                                         Coefficients k) {
        byte[] out = new byte[rows * outW * 3];
        for (int y = 0; y < rows; y++) {
            int rowStart = (y + firstRow) * inW * 3;
            for (int x = 0; x < outW; x++) {
                int column = left + x;
                int min = k.bounds[column * 2];
                int count = k.bounds[column * 2 + 1];
                int kOffset = column * k.size;
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

    /**
     * Output rows {@code top .. top + outH}, columns {@code left .. left + outW} of {@code in} (rows of
     * {@code rowWidth} pixels, row 0 holding source row {@code firstRow}). Each tap adds a whole contiguous row
     * to the accumulators, rather than walking down a column per pixel: the same sums, in cache order.
     */
    private static byte[] verticalPass(byte[] in, int rowWidth, int left, int outW, int firstRow, int top, int outH,
                                       Coefficients k) {
        byte[] out = new byte[outH * outW * 3];
        int[] sums = new int[outW * 3];
        for (int y = 0; y < outH; y++) {
            int row = top + y;
            int min = k.bounds[row * 2] - firstRow;
            int count = k.bounds[row * 2 + 1];
            int kOffset = row * k.size;
            java.util.Arrays.fill(sums, 1 << (PRECISION_BITS - 1));
            for (int i = 0; i < count; i++) {
                int weight = k.fixed[kOffset + i];
                int p = ((min + i) * rowWidth + left) * 3;
                for (int j = 0; j < sums.length; j++) {
                    sums[j] += (in[p + j] & 0xff) * weight;
                }
            }
            int o = y * outW * 3;
            for (int j = 0; j < sums.length; j++) {
                out[o + j] = clip8(sums[j]);
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
