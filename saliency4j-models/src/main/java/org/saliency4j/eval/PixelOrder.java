package org.saliency4j.eval;

import java.util.Arrays;

/**
 * The order in which a map's pixels are deleted or revealed: most relevant first (MoRF) or least relevant first
 * (LeRF). Ties keep raster order in both, so that a flat map gives the same order every time.
 */
final class PixelOrder {
    private PixelOrder() {
    }

    /** Pixel indices by decreasing value, equal values by increasing index. */
    static int[] mostRelevantFirst(float[] map) {
        return sorted(map, true);
    }

    /** Pixel indices by increasing value, equal values by increasing index. */
    static int[] leastRelevantFirst(float[] map) {
        return sorted(map, false);
    }

    /**
     * One primitive sort of keys that hold the value's order in their high 32 bits and the index in the low 32:
     * no boxing of a 50 000-pixel map into Integers.
     */
    private static int[] sorted(float[] map, boolean descending) {
        long[] keys = new long[map.length];
        for (int i = 0; i < map.length; i++) {
            long rank = orderedBits(map[i]);
            if (descending) {
                rank = 0xffffffffL - rank;
            }
            // The sign bit flipped: a signed sort of the keys is then the unsigned sort of (rank, index).
            keys[i] = ((rank << 32) | i) ^ Long.MIN_VALUE;
        }
        Arrays.sort(keys);
        int[] order = new int[map.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /**
     * The float's bits as an unsigned 32-bit number in the float's order (negative values below positive ones);
     * -0 counts as 0, and NaN above every number.
     */
    private static long orderedBits(float value) {
        int bits = Float.floatToIntBits(value == 0 ? 0f : value);
        bits ^= (bits >> 31) & 0x7fffffff;
        return (bits ^ 0x80000000) & 0xffffffffL;
    }
}
