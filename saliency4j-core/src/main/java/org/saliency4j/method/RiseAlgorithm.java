package org.saliency4j.method;

/**
 * RISE's map: the masks drawn a batch at a time from the seed (never all at once), each masked input scored, and
 * score x mask summed over the masks, divided by masks x keep. Each input gets the same masks.
 */
final class RiseAlgorithm implements Algorithm {
    private final Rise method;

    RiseAlgorithm(Rise method) {
        this.method = method;
    }

    @Override
    public float[] at(float[] inputs, int n, Context context) {
        int plane = context.height * context.width;
        float[] out = new float[n * plane];
        for (int i = 0; i < n; i++) {
            System.arraycopy(saliency(inputs, i * context.plane, context), 0, out, i * plane, plane);
        }
        return out;
    }

    /** Its masks fill the batches, so a noise tunnel's copies come one at a time. */
    @Override
    public int copiesAtOnce(Context context) {
        return 1;
    }

    private float[] saliency(float[] inputs, int offset, Context context) {
        int plane = context.height * context.width;
        float[] baseline = context.baseline;
        RiseMasks masks = new RiseMasks(method, context.height, context.width);
        double[] sum = new double[plane];
        // Masks drawn on this thread in order, so they do not depend on which thread scores them.
        context.passes(context.parts(method.masks()), part -> {
            int count = context.count(part, method.masks());
            float[] mask = masks.next(count);
            float[] masked = new float[count * context.plane];
            for (int m = 0; m < count; m++) {
                for (int c = 0; c < 3; c++) {
                    for (int j = 0; j < plane; j++) {
                        float shown = mask[m * plane + j];
                        int at = c * plane + j;
                        masked[m * context.plane + at] = inputs[offset + at] * shown + baseline[at] * (1 - shown);
                    }
                }
            }
            return new Masked(mask, masked);
        }, part -> new Scored(part.mask, context.scores(part.images, part.mask.length / plane)), (part, index) -> {
            for (int m = 0; m < part.scores.length; m++) {
                for (int j = 0; j < plane; j++) {
                    sum[j] += (double) part.scores[m] * part.mask[m * plane + j];
                }
            }
        });
        float[] out = new float[plane];
        double scale = (double) method.masks() * method.keep();
        for (int j = 0; j < plane; j++) {
            out[j] = (float) (sum[j] / scale);
        }
        return out;
    }

    /** A part's masks and the images they make, before the pass. */
    private record Masked(float[] mask, float[] images) {
    }

    /** A part's masks and the scores of the images they made. */
    private record Scored(float[] mask, float[] scores) {
    }
}
