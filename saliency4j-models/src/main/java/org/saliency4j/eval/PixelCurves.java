package org.saliency4j.eval;

import org.saliency4j.FloatTensor;
import org.saliency4j.SaliencyException;

/**
 * Deletion and insertion curves (Petsiuk et al., 2018, RISE): starting from one image, the pixels are replaced,
 * a step at a time and in a map's order, by another's (all three channels of each), and the target is scored
 * after every step. Deletion starts from the input and ends at the baseline; insertion the other way round.
 */
final class PixelCurves {
    /**
     * The most points a curve may have: 1024 steps, 4 pixels per step on the demo's 64x64 images, 49 on 224x224
     * ones (RISE's curves have 224 steps).
     */
    static final int MAX_POINTS = 1025;

    private PixelCurves() {
    }

    /**
     * The points of a curve over {@code pixels} pixels at {@code step} per step: the start, then one per step, the
     * last step taking what is left.
     *
     * @throws SaliencyException naming {@code step} when it is below 1 or makes more than {@link #MAX_POINTS}
     */
    static int points(int pixels, int step) {
        if (step < 1) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "step", "must be at least 1 pixel, got "
                    + step);
        }
        long points = (pixels + (long) step - 1) / step + 1;
        if (points > MAX_POINTS) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "step", step + " pixels per step make "
                    + points + " points on a " + pixels + "-pixel image, more than " + MAX_POINTS);
        }
        return (int) points;
    }

    /**
     * @param start  the image at fraction 0, (3, H, W) flat
     * @param end    the image whose pixels replace it, (3, H, W) flat
     * @param order  pixel indices (y * width + x), each once: the order of replacement
     * @param step   pixels replaced per step
     * @param chunk  the most inputs built and scored at once: bounds memory to chunk x 3 x H x W floats
     */
    static Curve curve(Scorer scorer, float[] start, float[] end, int[] order, int height, int width, int step,
                       int chunk) {
        int pixels = height * width;
        if (order.length != pixels || start.length != 3 * pixels || end.length != 3 * pixels) {
            throw new IllegalArgumentException("the images must be (3, H, W) with one order entry per pixel");
        }
        int points = points(pixels, step);
        float[] current = start.clone();
        double[] fractions = new double[points];
        double[] scores = new double[points];
        int plane = start.length;
        for (int first = 0; first < points; first += chunk) {
            int count = Math.min(chunk, points - first);
            float[] batch = new float[count * plane];
            for (int k = 0; k < count; k++) {
                int point = first + k;
                int replaced = (int) Math.min((long) point * step, pixels);
                for (int i = (int) Math.min((long) Math.max(0, point - 1) * step, pixels); i < replaced; i++) {
                    int p = order[i];
                    current[p] = end[p];
                    current[pixels + p] = end[pixels + p];
                    current[2 * pixels + p] = end[2 * pixels + p];
                }
                fractions[point] = (double) replaced / pixels;
                System.arraycopy(current, 0, batch, k * plane, plane);
            }
            float[] out = scorer.scores(new FloatTensor(new int[]{count, 3, height, width}, batch));
            for (int k = 0; k < count; k++) {
                scores[first + k] = out[k];
            }
        }
        return new Curve(fractions, scores);
    }
}
