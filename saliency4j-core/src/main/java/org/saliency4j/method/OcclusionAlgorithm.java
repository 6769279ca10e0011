package org.saliency4j.method;

/**
 * Occlusion's map: the windows sent through the model a batch at a time, in order (row by row), each window's
 * f(input) - f(occluded) added to the pixels it hid, and each pixel's sum divided by the windows that hid it.
 */
final class OcclusionAlgorithm implements Algorithm {
    private final Occlusion method;

    OcclusionAlgorithm(Occlusion method) {
        this.method = method;
    }

    /** Each copy's own score, then its windows. */
    @Override
    public float[] at(float[] inputs, int n, Context context) {
        float[] scores = context.scores(inputs, n);
        int plane = context.height * context.width;
        float[] out = new float[n * plane];
        for (int i = 0; i < n; i++) {
            System.arraycopy(occluded(inputs, i * context.plane, scores[i], context), 0, out, i * plane, plane);
        }
        return out;
    }

    /** Its windows fill the batches, so a noise tunnel's copies come one at a time. */
    @Override
    public int copiesAtOnce(Context context) {
        return 1;
    }

    /** f(input) is the first pass's score. */
    @Override
    public Attributions.Result atInput(Attributions.Input input, Context context) {
        return new Attributions.Result(occluded(input.values(), 0, input.score(), context), Double.NaN);
    }

    private float[] occluded(float[] inputs, int offset, float score, Context context) {
        int height = context.height;
        int width = context.width;
        int plane = height * width;
        long windows = method.windows(Workload.of(height, width));
        int across = method.positions(width);
        double[] sum = new double[plane];
        int[] hidden = new int[plane];
        // Windows are at most the input's pixels (a window of 1 at stride 1), so an int counts them.
        context.passes(context.parts(windows), index -> {
            int first = context.first(index);
            int count = context.count(index, windows);
            float[] part = new float[count * context.plane];
            for (int k = 0; k < count; k++) {
                System.arraycopy(inputs, offset, part, k * context.plane, context.plane);
                Window w = window(first + k, across, height, width);
                for (int c = 0; c < 3; c++) {
                    for (int y = w.top; y < w.bottom; y++) {
                        int at = c * plane + y * width;
                        System.arraycopy(context.baseline, at + w.left, part, k * context.plane + at + w.left,
                                w.right - w.left);
                    }
                }
            }
            return part;
        }, part -> context.scores(part, part.length / context.plane), (scores, index) -> {
            int first = context.first(index);
            for (int k = 0; k < scores.length; k++) {
                double difference = (double) score - scores[k];
                Window w = window(first + k, across, height, width);
                for (int y = w.top; y < w.bottom; y++) {
                    for (int x = w.left; x < w.right; x++) {
                        sum[y * width + x] += difference;
                        hidden[y * width + x]++;
                    }
                }
            }
        });
        float[] out = new float[plane];
        for (int j = 0; j < plane; j++) {
            out[j] = (float) (sum[j] / hidden[j]);
        }
        return out;
    }

    /** The pixels the k-th window hides, cut off at the input's edges: rows [top, bottom), columns [left, right). */
    private record Window(int top, int bottom, int left, int right) {
    }

    private Window window(int k, int across, int height, int width) {
        int top = k / across * method.stride();
        int left = k % across * method.stride();
        return new Window(top, Math.min(top + method.window(), height), left, Math.min(left + method.window(), width));
    }
}
