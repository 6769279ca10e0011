package org.saliency4j.method;

import java.util.Arrays;
import java.util.Random;
import org.saliency4j.Method;
import org.saliency4j.torch.LayerBatch;
import org.saliency4j.torch.ReluRule;

/**
 * Computes a method's attribution for one image from gradients at batches of inputs. Noisy copies and path points
 * go through the model {@link Method#batch()} at a time, so memory is bounded and results do not depend on the
 * batch size. Captum's design: SmoothGrad and its kin are a wrapper (a noise tunnel) around any base method.
 */
public final class Attributions {

    /**
     * @param values           the attribution, (3, H, W), or (1, H, W) for Grad-CAM and Grad-CAM++
     * @param convergenceDelta for integrated gradients: the attributions' sum minus (f(input) - f(baseline)),
     *                         which the path integral makes zero in the limit; NaN for other methods
     */
    public record Result(float[] values, double convergenceDelta) {
    }

    /** A layer's output and the gradient of the explained score w.r.t. it, at a batch of inputs. */
    @FunctionalInterface
    public interface LayerGradients {
        /** @param inputs n images, (n, 3, H, W) row-major */
        LayerBatch at(float[] inputs, int n);
    }

    private final Method method;
    private final ScoreGradients model;
    private final LayerGradients layer;
    private final int height;
    private final int width;
    /** Values per input image, 3 x H x W. */
    private final int plane;

    /**
     * @param layer the model's layer gradients, for the Grad-CAM family (may be null for other methods)
     */
    public Attributions(Method method, ScoreGradients model, LayerGradients layer, int height, int width) {
        this.method = method;
        this.model = model;
        this.layer = layer;
        this.height = height;
        this.width = width;
        this.plane = 3 * height * width;
    }

    /**
     * @param input    the image, (3, H, W)
     * @param baseline the integration's start for integrated gradients (ignored by other methods)
     */
    public Result attribute(float[] input, float[] baseline) {
        return attribute(input, baseline, null);
    }

    /**
     * @param atInput the layer's output and gradient at {@code input} when the caller has them already (its first
     *                pass computed them); the Grad-CAM family then asks the model for nothing more
     */
    public Result attribute(float[] input, float[] baseline, LayerBatch atInput) {
        Method.Kind kind = method.kind();
        if (kind.isNoiseTunnel()) {
            return new Result(noiseTunnel(input, baseline), Double.NaN);
        }
        float[] values = base(kind, input, 1, baseline, atInput);
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

    /** The base method on n inputs, each attributed on its own; {@code known}: the layer at them, or null. */
    private float[] base(Method.Kind kind, float[] inputs, int n, float[] baseline, LayerBatch known) {
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
            case GRAD_CAM -> classActivationMaps(inputs, n, false, known);
            case GRAD_CAM_PLUS_PLUS -> classActivationMaps(inputs, n, true, known);
            case GUIDED_GRAD_CAM -> {
                float[] guided = gradients(inputs, n, ReluRule.GUIDED);
                float[] maps = classActivationMaps(inputs, n, false, known);
                int pixels = height * width;
                for (int i = 0; i < guided.length; i++) {
                    guided[i] *= maps[i / plane * pixels + i % pixels];
                }
                yield guided;
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

    /** Grad-CAM maps of n inputs at the input's size, (n, H, W), computed {@link Method#batch()} inputs at a time. */
    private float[] classActivationMaps(float[] inputs, int n, boolean plusPlus, LayerBatch known) {
        int pixels = height * width;
        float[] out = new float[n * pixels];
        for (int first = 0; first < n; first += method.batch()) {
            int count = Math.min(method.batch(), n - first);
            LayerBatch batch = known != null ? known
                    : layer.at(Arrays.copyOfRange(inputs, first * plane, (first + count) * plane), count);
            for (int i = 0; i < count; i++) {
                float[] map = ClassActivationMaps.at(batch, i, plusPlus);
                float[] up = ClassActivationMaps.upsample(map, batch.height(), batch.width(), height, width);
                System.arraycopy(up, 0, out, (first + i) * pixels, pixels);
            }
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
        int out = method.base().channels() * height * width;
        double[] sum = new double[out];
        double[] squares = new double[out];
        int samples = method.samples();
        // Integrated gradients batches its own path points, so its copies go one at a time.
        int chunk = method.base() == Method.Kind.INTEGRATED_GRADIENTS ? 1 : method.batch();
        for (int first = 0; first < samples; first += chunk) {
            int count = Math.min(chunk, samples - first);
            float[] noisy = new float[count * plane];
            for (int i = 0; i < noisy.length; i++) {
                noisy[i] = (float) (input[i % plane] + random.nextGaussian() * sigma);
            }
            float[] a = base(method.base(), noisy, count, baseline, null);
            for (int i = 0; i < a.length; i++) {
                sum[i % out] += a[i];
                squares[i % out] += (double) a[i] * a[i];
            }
        }
        float[] values = new float[out];
        for (int j = 0; j < out; j++) {
            double mean = sum[j] / samples;
            double meanSquare = squares[j] / samples;
            values[j] = (float) switch (method.kind()) {
                case SMOOTHGRAD -> mean;
                case SMOOTHGRAD_SQ -> meanSquare;
                default -> Math.max(0, meanSquare - mean * mean);
            };
        }
        return values;
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
