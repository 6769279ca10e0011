package org.saliency4j.method;

import java.util.Random;
import org.saliency4j.Method;
import org.saliency4j.torch.ReluRule;

/**
 * Computes a method's attribution for one image from gradients at batches of inputs. Noisy copies and path points
 * go through the model {@link Method#batch()} at a time, so memory is bounded and results do not depend on the
 * batch size. Captum's design: SmoothGrad and its kin are a wrapper (a noise tunnel) around any base method.
 */
public final class Attributions {

    /**
     * @param values           the attribution, (3, H, W)
     * @param convergenceDelta for integrated gradients: the attributions' sum minus (f(input) - f(baseline)),
     *                         which the path integral makes zero in the limit; NaN for other methods
     */
    public record Result(float[] values, double convergenceDelta) {
    }

    private final Method method;
    private final ScoreGradients model;
    private final int plane;

    /**
     * @param plane the values per image, 3 x H x W
     */
    public Attributions(Method method, ScoreGradients model, int plane) {
        this.method = method;
        this.model = model;
        this.plane = plane;
    }

    /**
     * @param input    the image, (3, H, W)
     * @param baseline the integration's start for integrated gradients (ignored by other methods)
     */
    public Result attribute(float[] input, float[] baseline) {
        Method.Kind kind = method.kind();
        if (kind.isNoiseTunnel()) {
            return new Result(noiseTunnel(input, baseline), Double.NaN);
        }
        float[] values = base(kind, input, 1, baseline);
        double delta = Double.NaN;
        if (kind == Method.Kind.INTEGRATED_GRADIENTS) {
            float[] ends = new float[2 * plane];
            System.arraycopy(input, 0, ends, 0, plane);
            System.arraycopy(baseline, 0, ends, plane, plane);
            float[] scores = model.at(ends, 2, ReluRule.STANDARD).scores();
            double sum = 0;
            for (float v : values) {
                sum += v;
            }
            delta = sum - (scores[0] - scores[1]);
        }
        return new Result(values, delta);
    }

    /** The base method on n inputs, each attributed on its own. */
    private float[] base(Method.Kind kind, float[] inputs, int n, float[] baseline) {
        return switch (kind) {
            case VANILLA -> gradients(inputs, n, ReluRule.STANDARD);
            case GUIDED_BACKPROP -> gradients(inputs, n, ReluRule.GUIDED);
            case DECONVNET -> gradients(inputs, n, ReluRule.DECONVNET);
            case GRADIENT_X_INPUT -> {
                float[] g = gradients(inputs, n, ReluRule.STANDARD);
                for (int i = 0; i < g.length; i++) {
                    g[i] *= inputs[i];
                }
                yield g;
            }
            case INTEGRATED_GRADIENTS -> {
                float[] out = new float[n * plane];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(integratedGradients(inputs, i * plane, baseline), 0, out, i * plane, plane);
                }
                yield out;
            }
            default -> throw new IllegalStateException(kind + " is not a base method");
        };
    }

    /**
     * (x - x') times the mean gradient at x' + a (x - x') for a = (k + 1/2) / steps, k = 0..steps-1: the midpoint
     * rule for the path integral.
     */
    private float[] integratedGradients(float[] inputs, int offset, float[] baseline) {
        int steps = method.steps();
        double[] sum = new double[plane];
        for (int first = 0; first < steps; first += method.batch()) {
            int count = Math.min(method.batch(), steps - first);
            float[] points = new float[count * plane];
            for (int k = 0; k < count; k++) {
                float alpha = (float) ((first + k + 0.5) / steps);
                for (int j = 0; j < plane; j++) {
                    float x0 = baseline[j];
                    points[k * plane + j] = x0 + alpha * (inputs[offset + j] - x0);
                }
            }
            float[] g = model.at(points, count, ReluRule.STANDARD).gradients();
            for (int k = 0; k < count; k++) {
                for (int j = 0; j < plane; j++) {
                    sum[j] += g[k * plane + j];
                }
            }
        }
        float[] out = new float[plane];
        for (int j = 0; j < plane; j++) {
            out[j] = (float) ((inputs[offset + j] - baseline[j]) * sum[j] / steps);
        }
        return out;
    }

    /** The base method over noisy copies: their mean, mean square, or variance. */
    private float[] noiseTunnel(float[] input, float[] baseline) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : input) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double sigma = method.noise() * (max - min);
        Random random = new Random(method.seed());
        double[] sum = new double[plane];
        double[] squares = new double[plane];
        int samples = method.samples();
        // Integrated gradients batches its own path points, so its copies go one at a time.
        int chunk = method.base() == Method.Kind.INTEGRATED_GRADIENTS ? 1 : method.batch();
        for (int first = 0; first < samples; first += chunk) {
            int count = Math.min(chunk, samples - first);
            float[] noisy = new float[count * plane];
            for (int i = 0; i < noisy.length; i++) {
                noisy[i] = (float) (input[i % plane] + random.nextGaussian() * sigma);
            }
            float[] a = base(method.base(), noisy, count, baseline);
            for (int i = 0; i < a.length; i++) {
                sum[i % plane] += a[i];
                squares[i % plane] += (double) a[i] * a[i];
            }
        }
        float[] out = new float[plane];
        for (int j = 0; j < plane; j++) {
            double mean = sum[j] / samples;
            double meanSquare = squares[j] / samples;
            out[j] = (float) switch (method.kind()) {
                case SMOOTHGRAD -> mean;
                case SMOOTHGRAD_SQ -> meanSquare;
                default -> Math.max(0, meanSquare - mean * mean);
            };
        }
        return out;
    }

    /** Gradients of n inputs, sent through the model at most {@link Method#batch()} at a time. */
    private float[] gradients(float[] inputs, int n, ReluRule relu) {
        if (n <= method.batch()) {
            return model.at(inputs, n, relu).gradients();
        }
        float[] out = new float[n * plane];
        for (int first = 0; first < n; first += method.batch()) {
            int count = Math.min(method.batch(), n - first);
            float[] part = new float[count * plane];
            System.arraycopy(inputs, first * plane, part, 0, count * plane);
            System.arraycopy(model.at(part, count, relu).gradients(), 0, out, first * plane, count * plane);
        }
        return out;
    }
}
