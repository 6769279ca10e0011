package org.saliency4j.method;

/**
 * (x - x') times the weighted sum of the gradients at x' + a_k (x - x'), the points a_k and weights of the method's
 * quadrature rule; at the explained input, with its convergence delta.
 */
final class IntegratedGradientsAlgorithm implements Algorithm {
    private final IntegratedGradients method;

    IntegratedGradientsAlgorithm(IntegratedGradients method) {
        this.method = method;
    }

    @Override
    public float[] at(float[] inputs, int n, Context context) {
        int plane = context.plane;
        float[] out = new float[n * plane];
        for (int i = 0; i < n; i++) {
            System.arraycopy(integrate(inputs, i * plane, context), 0, out, i * plane, plane);
        }
        return out;
    }

    /** Its path points fill the batches, so a noise tunnel's copies come one at a time. */
    @Override
    public int copiesAtOnce(Context context) {
        return 1;
    }

    @Override
    public Attributions.Result atInput(Attributions.Input input, Context context) {
        float[] values = at(input.values(), 1, context);
        int plane = context.plane;
        float[] ends = new float[2 * plane];
        System.arraycopy(input.values(), 0, ends, 0, plane);
        System.arraycopy(context.baseline, 0, ends, plane, plane);
        float[] scores = context.scores(ends, 2, ReluRule.STANDARD).scores();
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return new Attributions.Result(values, sum - (scores[0] - scores[1]));
    }

    private float[] integrate(float[] inputs, int offset, Context context) {
        int steps = method.steps();
        Quadrature.Rule rule = method.quadrature().rule(steps);
        int plane = context.plane;
        float[] baseline = context.baseline;
        double[] sum = new double[plane];
        for (int first = 0; first < steps; first += context.batch) {
            int count = Math.min(context.batch, steps - first);
            float[] points = new float[count * plane];
            for (int k = 0; k < count; k++) {
                float alpha = (float) rule.points()[first + k];
                for (int j = 0; j < plane; j++) {
                    float x0 = baseline[j];
                    points[k * plane + j] = x0 + alpha * (inputs[offset + j] - x0);
                }
            }
            float[] g = context.scores(points, count, ReluRule.STANDARD).gradients();
            for (int k = 0; k < count; k++) {
                double weight = rule.weights()[first + k];
                for (int j = 0; j < plane; j++) {
                    sum[j] += weight * g[k * plane + j];
                }
            }
        }
        float[] out = new float[plane];
        for (int j = 0; j < plane; j++) {
            out[j] = (float) ((inputs[offset + j] - baseline[j]) * sum[j]);
        }
        return out;
    }
}
