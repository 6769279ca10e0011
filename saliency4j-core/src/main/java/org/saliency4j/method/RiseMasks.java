package org.saliency4j.method;

import java.util.SplittableRandom;

/**
 * RISE's masks for an input of one size, drawn one after another from a seed, so that the n-th mask is the same
 * however many are drawn at a time. As the paper's code makes them: a cells x cells grid of cells kept with
 * probability p, resized with bilinear interpolation (scikit-image's {@code resize(order=1, mode='reflect')}: pixel
 * centres mapped at half-pixel offsets, mirrored about the edge cells' centres) to (cells + 1) x ceil(side / cells)
 * pixels a side, then cropped to the input at a random offset of less than one cell in each direction.
 */
final class RiseMasks {
    /**
     * Not java.util.Random: the uniform baseline draws its pixels from that generator with the same seed, and the
     * masks would then follow the baseline's pixels.
     */
    private final SplittableRandom random;
    private final int cells;
    private final double keep;
    private final int height;
    private final int width;
    private final Axis rows;
    private final Axis columns;

    RiseMasks(Rise method, int height, int width) {
        this.random = new SplittableRandom(method.seed());
        this.cells = method.cells();
        this.keep = method.keep();
        this.height = height;
        this.width = width;
        this.rows = new Axis(cells, height);
        this.columns = new Axis(cells, width);
    }

    /**
     * Where each pixel of the upsampled side falls between two grid cells: the lower cell, the upper, and the
     * upper's weight.
     */
    private static final class Axis {
        /** ceil(side / cells): a cell's size in pixels, and the crop's shifts are below it. */
        final int cell;
        final int[] lower;
        final int[] upper;
        final double[] weight;

        Axis(int cells, int side) {
            cell = (side + cells - 1) / cells;
            int upsampled = (cells + 1) * cell;
            lower = new int[upsampled];
            upper = new int[upsampled];
            weight = new double[upsampled];
            for (int i = 0; i < upsampled; i++) {
                double at = (i + 0.5) * cells / upsampled - 0.5;
                // Mirrored about the first and last cells' centres; it never lies a whole cell beyond them.
                if (at < 0) {
                    at = -at;
                } else if (at > cells - 1) {
                    at = 2.0 * (cells - 1) - at;
                }
                lower[i] = Math.min((int) at, cells - 1);
                upper[i] = Math.min(lower[i] + 1, cells - 1);
                // One cell (cells = 1) is its own neighbour: its weight is all the value there is.
                weight[i] = upper[i] == lower[i] ? 0 : at - lower[i];
            }
        }
    }

    /** The next {@code n} masks, (n, H, W), each value in [0, 1]: each a grid, then its shift down and across. */
    float[] next(int n) {
        int plane = height * width;
        float[] out = new float[n * plane];
        boolean[] grid = new boolean[cells * cells];
        for (int m = 0; m < n; m++) {
            for (int c = 0; c < grid.length; c++) {
                grid[c] = random.nextDouble() < keep;
            }
            int down = random.nextInt(rows.cell);
            int across = random.nextInt(columns.cell);
            System.arraycopy(crop(grid, down, across), 0, out, m * plane, plane);
        }
        return out;
    }

    /**
     * The grid (cells x cells, row-major; true where kept) upsampled, and cropped to H x W from {@code down} rows
     * and {@code across} columns, each less than a cell.
     */
    float[] crop(boolean[] grid, int down, int across) {
        float[] out = new float[height * width];
        for (int y = 0; y < height; y++) {
            int r = y + down;
            double wy = rows.weight[r];
            int lowRow = rows.lower[r] * cells;
            int highRow = rows.upper[r] * cells;
            for (int x = 0; x < width; x++) {
                int c = x + across;
                double wx = columns.weight[c];
                int left = columns.lower[c];
                int right = columns.upper[c];
                double low = (1 - wx) * value(grid[lowRow + left]) + wx * value(grid[lowRow + right]);
                double high = (1 - wx) * value(grid[highRow + left]) + wx * value(grid[highRow + right]);
                out[y * width + x] = (float) ((1 - wy) * low + wy * high);
            }
        }
        return out;
    }

    private static double value(boolean kept) {
        return kept ? 1 : 0;
    }
}
