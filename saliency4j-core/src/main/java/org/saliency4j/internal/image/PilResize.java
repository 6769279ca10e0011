package org.saliency4j.internal.image;

import java.util.Arrays;
import org.saliency4j.internal.Adopted;
import org.saliency4j.Picture;

/**
 * Pillow's {@code Image.resize(size, BILINEAR)} for 8-bit RGB, reproduced operation for operation (Pillow's
 * {@code libImaging/Resample.c}): a triangle filter widened by the scale factor when shrinking (antialiasing),
 * coefficients in 22-bit fixed point, a horizontal pass rounded to 8 bits, then a vertical pass. torchvision's
 * {@code Resize} calls exactly this on PIL images, so the model sees the tensor PyTorch users feed it. OpenCV has
 * no such filter: its bilinear does not widen when shrinking, and its area averaging differs in the weights.
 *
 * <p>Each output pixel depends only on its own coefficients, so only the window a centre crop keeps is computed,
 * coefficients included: the cost follows the crop and the filter's reach into the input, never the resized
 * size, which may be far larger than the input (a 1,000,000 x 1 image resized to 256 high is 256,000,000 wide).
 * Resized sizes and window offsets are {@code long}: every quantity Pillow computes from them stays exact.
 */
final class PilResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 1.0;
    /** The most coefficients held at once (4 MB), unless a single output's filter needs more. */
    private static final int MAX_COEFFICIENTS = 1 << 20;

    private PilResize() {
    }

    static Picture resize(Picture image, int width, int height) {
        return resize(image, width, height, 0, 0, width, height);
    }

    /**
     * The window ({@code left}, {@code top}, {@code cropW} x {@code cropH}) of the {@code width} x {@code height}
     * resize; the window lies inside the resized image.
     */
    static Picture resize(Picture image, long width, long height, long left, long top, int cropW, int cropH) {
        if (left < 0 || top < 0 || cropW < 1 || cropH < 1 || left + cropW > width || top + cropH > height) {
            throw new IllegalArgumentException("the window " + cropW + "x" + cropH + " at (" + left + ", " + top
                    + ") is not inside the " + width + "x" + height + " resize");
        }
        int inW = image.width();
        int inH = image.height();
        boolean resizeW = inW != width;
        boolean resizeH = inH != height;
        byte[] pixels = image.toRgbBytes();
        if (!resizeW && !resizeH) {
            return crop(pixels, inW, (int) left, (int) top, cropW, cropH);
        }
        Axis horizontal = new Axis(inW, width, left);
        Axis vertical = new Axis(inH, height, top);
        // The source rows the vertical pass reads for the window's rows.
        int firstRow = resizeH ? vertical.coefficients(0, 1).min(0) : (int) top;
        Coefficients last = resizeH ? vertical.coefficients(cropH - 1, 1) : null;
        int lastRow = resizeH ? last.min(0) + last.count(0) : (int) top + cropH;
        int rowWidth = inW;
        int columnOffset = (int) left;
        // The source row that row 0 of `pixels` holds: the horizontal pass keeps only the rows needed.
        int rowBase = 0;
        if (resizeW) {
            pixels = horizontalPass(pixels, inW, firstRow, lastRow - firstRow, cropW, horizontal);
            rowWidth = cropW;
            columnOffset = 0;
            rowBase = firstRow;
        }
        if (resizeH) {
            return Adopted.picture(cropW, cropH, verticalPass(pixels, rowWidth, columnOffset, cropW, rowBase, cropH,
                    vertical));
        }
        return crop(pixels, rowWidth, columnOffset, (int) top - rowBase, cropW, cropH);
    }

    private static Picture crop(byte[] rgb, int rowWidth, int left, int top, int cropW, int cropH) {
        if (left == 0 && top == 0 && cropW == rowWidth && (long) cropW * cropH * 3 == rgb.length) {
            return Adopted.picture(cropW, cropH, rgb);
        }
        byte[] out = new byte[cropW * cropH * 3];
        for (int y = 0; y < cropH; y++) {
            System.arraycopy(rgb, ((top + y) * rowWidth + left) * 3, out, y * cropW * 3, cropW * 3);
        }
        return Adopted.picture(cropW, cropH, out);
    }

    /**
     * The window's {@code outW} columns of the source rows {@code firstRow .. firstRow + rows}, computed in
     * blocks of columns whose coefficients fit the budget (one block unless the filter is very wide).
     */
    private static byte[] horizontalPass(byte[] in, int inW, int firstRow, int rows, int outW, Axis axis) {
        byte[] out = new byte[rows * outW * 3];
        for (int x0 = 0; x0 < outW; x0 += axis.block()) {
            int columns = Math.min(axis.block(), outW - x0);
            Coefficients k = axis.coefficients(x0, columns);
            for (int y = 0; y < rows; y++) {
                int rowStart = (y + firstRow) * inW * 3;
                for (int x = 0; x < columns; x++) {
                    int min = k.min(x);
                    int count = k.count(x);
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
                    int o = (y * outW + x0 + x) * 3;
                    out[o] = clip8(r);
                    out[o + 1] = clip8(g);
                    out[o + 2] = clip8(b);
                }
            }
        }
        return out;
    }

    /**
     * The window's {@code outH} rows, columns {@code left .. left + outW} of {@code in} (rows of
     * {@code rowWidth} pixels, row 0 holding source row {@code firstRow}). Each tap adds a whole contiguous row
     * to the accumulators, rather than walking down a column per pixel: the same sums, in cache order.
     */
    private static byte[] verticalPass(byte[] in, int rowWidth, int left, int outW, int firstRow, int outH,
                                       Axis axis) {
        byte[] out = new byte[outH * outW * 3];
        int[] sums = new int[outW * 3];
        for (int y0 = 0; y0 < outH; y0 += axis.block()) {
            int rows = Math.min(axis.block(), outH - y0);
            Coefficients k = axis.coefficients(y0, rows);
            for (int y = 0; y < rows; y++) {
                int min = k.min(y) - firstRow;
                int count = k.count(y);
                int kOffset = y * k.size;
                Arrays.fill(sums, 1 << (PRECISION_BITS - 1));
                for (int i = 0; i < count; i++) {
                    int weight = k.fixed[kOffset + i];
                    int p = ((min + i) * rowWidth + left) * 3;
                    for (int j = 0; j < sums.length; j++) {
                        sums[j] += (in[p + j] & 0xff) * weight;
                    }
                }
                int o = (y0 + y) * outW * 3;
                for (int j = 0; j < sums.length; j++) {
                    out[o + j] = clip8(sums[j]);
                }
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

    /**
     * One axis of the resize, {@code inSize} to {@code outSize}, of which the window starts at output
     * {@code first}. Its coefficients are made for a block of window outputs at a time, at most
     * {@link #MAX_COEFFICIENTS} of them: shrinking a very long axis widens the filter to about twice the input per
     * output, so a window's coefficients could otherwise take 8 bytes per input pixel.
     */
    private record Axis(int inSize, long outSize, long first) {
        int block() {
            return Math.max(1, MAX_COEFFICIENTS / Coefficients.size(inSize, outSize));
        }

        Coefficients coefficients(int from, int count) {
            return Coefficients.of(inSize, outSize, first + from, count);
        }
    }

    /**
     * Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} for one axis, for the outputs
     * {@code first .. first + count} only: set {@code j} holds output {@code first + j}.
     */
    private record Coefficients(int size, int[] bounds, int[] fixed) {
        /** The taps per output: the triangle's support, widened by the scale when shrinking, both sides. */
        static int size(int inSize, long outSize) {
            return (int) Math.ceil(SUPPORT * Math.max((double) inSize / outSize, 1.0)) * 2 + 1;
        }

        static Coefficients of(int inSize, long outSize, long first, int count) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            int size = size(inSize, outSize);
            int[] bounds = new int[count * 2];
            int[] fixed = new int[Math.multiplyExact(count, size)];
            double inverse = 1.0 / filterScale;
            for (int j = 0; j < count; j++) {
                double center = (first + j + 0.5) * scale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize) - min;
                // Pillow keeps the unnormalised weights in a buffer; recomputing them gives the same doubles.
                double total = 0;
                for (int x = 0; x < max; x++) {
                    total += triangle((x + min - center + 0.5) * inverse);
                }
                for (int x = 0; x < max; x++) {
                    double w = triangle((x + min - center + 0.5) * inverse);
                    w = total != 0 ? w / total : w;
                    fixed[j * size + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                            : (int) (0.5 + w * (1 << PRECISION_BITS));
                }
                bounds[j * 2] = min;
                bounds[j * 2 + 1] = max;
            }
            return new Coefficients(size, bounds, fixed);
        }

        int min(int j) {
            return bounds[j * 2];
        }

        int count(int j) {
            return bounds[j * 2 + 1];
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    }
}
