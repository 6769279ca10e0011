package org.saliency4j.method;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * (x - x') times the weighted sum of the gradients at x' + a_k (x - x'), the points a_k and weights of the method's
 * quadrature rule; at the explained input, with its convergence delta and the steps it took.
 */
final class IntegratedGradientsAlgorithm implements Algorithm {
    private final IntegratedGradients method;
    /**
     * The rules already made, by step count: a noise tunnel's copies and the automatic schedule ask for the same
     * counts again, and a Gauss-Legendre rule costs O(n^2) to make. Concurrent: a noise tunnel's copies may run on
     * several pass threads at once.
     */
    private final Map<Integer, Quadrature.Rule> rules = new ConcurrentHashMap<>();

    IntegratedGradientsAlgorithm(IntegratedGradients method) {
        this.method = method;
    }

    /** One input's attribution, its convergence delta, and the steps that gave it. */
    private record Path(float[] values, double delta, int steps) {
    }

    /** Each copy on its own path; with automatic steps, each chooses its own by its delta. */
    @Override
    public float[] at(float[] inputs, int n, Context context) {
        int plane = context.plane;
        float[] out = new float[n * plane];
        for (int i = 0; i < n; i++) {
            float[] values = method.steps() == IntegratedGradients.AUTO_STEPS
                    ? converged(inputs, i * plane, context).values()
                    : integrate(inputs, i * plane, method.steps(), context);
            System.arraycopy(values, 0, out, i * plane, plane);
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
        Path path = converged(input.values(), 0, context);
        return new Attributions.Result(path.values(), path.delta(), path.steps());
    }

    /**
     * The attribution at each count of the method's schedule in turn, until its convergence delta (the
     * attributions' sum minus f(x) - f(x')) is within the tolerance of |f(x) - f(x')| or the schedule ends: one
     * count for fixed steps.
     */
    private Path converged(float[] inputs, int offset, Context context) {
        int plane = context.plane;
        float[] ends = new float[2 * plane];
        System.arraycopy(inputs, offset, ends, 0, plane);
        System.arraycopy(context.baseline, 0, ends, plane, plane);
        float[] scores = context.scores(ends, 2, ReluRule.STANDARD).scores();
        double difference = (double) scores[0] - scores[1];
        Path path = null;
        for (int steps : method.schedule()) {
            float[] values = integrate(inputs, offset, steps, context);
            double sum = 0;
            for (float v : values) {
                sum += v;
            }
            path = new Path(values, sum - difference, steps);
            if (Math.abs(path.delta()) <= method.tolerance() * Math.abs(difference)) {
                break;
            }
        }
        return path;
    }

    private float[] integrate(float[] inputs, int offset, int steps, Context context) {
        Quadrature.Rule rule = rules.computeIfAbsent(steps, method.quadrature()::rule);
        int plane = context.plane;
        float[] baseline = context.baseline;
        double[] sum = new double[plane];
        context.passes(context.parts(steps), part -> {
            int first = context.first(part);
            float[] points = new float[context.count(part, steps) * plane];
            for (int k = 0; k < points.length / plane; k++) {
                float alpha = (float) rule.points()[first + k];
                for (int j = 0; j < plane; j++) {
                    float x0 = baseline[j];
                    points[k * plane + j] = x0 + alpha * (inputs[offset + j] - x0);
                }
            }
            return points;
        }, points -> context.scores(points, points.length / plane, ReluRule.STANDARD).gradients(), (g, part) -> {
            int first = context.first(part);
            for (int k = 0; k < g.length / plane; k++) {
                double weight = rule.weights()[first + k];
                for (int j = 0; j < plane; j++) {
                    sum[j] += weight * g[k * plane + j];
                }
            }
        });
        float[] out = new float[plane];
        for (int j = 0; j < plane; j++) {
            out[j] = (float) ((inputs[offset + j] - baseline[j]) * sum[j]);
        }
        return out;
    }
}
