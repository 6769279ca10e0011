package org.saliency4j.method;

import java.util.Arrays;

/**
 * What an algorithm may ask of the model for one explained image: gradients, layers, scores (also with a layer's
 * channel zeroed) and attention layers at batches of inputs, sent through the model at most {@link #batch} at a
 * time, so memory is bounded and results do not depend on the batch size.
 */
final class Context {
    private final ScoreGradients model;
    private final LayerGradients layer;
    private final TargetScores forward;
    private final AblatedScores ablated;
    private final AttentionGradients attention;
    final int height;
    final int width;
    final int batch;
    /** Values per input image, 3 x H x W. */
    final int plane;
    /**
     * The method's {@link Method#reference() baseline}, (3, H, W): integrated gradients' start, what occlusion and
     * RISE show where they hide the input; null for other methods.
     */
    final float[] baseline;

    Context(ScoreGradients model, LayerGradients layer, TargetScores forward, AblatedScores ablated,
            AttentionGradients attention, int height, int width, int batch, float[] baseline) {
        this.model = model;
        this.layer = layer;
        this.forward = forward;
        this.ablated = ablated;
        this.attention = attention;
        this.height = height;
        this.width = width;
        this.batch = batch;
        this.plane = 3 * height * width;
        this.baseline = baseline;
    }

    /** Gradients and scores of n inputs at most {@link #batch} (the caller's batches). */
    ScoreGradients.Result scores(float[] inputs, int n, ReluRule relu) {
        return model.at(inputs, n, relu);
    }

    /** Gradients of n inputs, sent through the model at most {@link #batch} at a time. */
    float[] gradients(float[] inputs, int n, ReluRule relu) {
        return inBatches(inputs, n, plane, (part, count) -> model.at(part, count, relu).gradients());
    }

    /**
     * The explained score at n inputs, forward only, sent through the model at most {@link #batch} at a time: what
     * perturbation methods ask.
     */
    float[] scores(float[] inputs, int n) {
        return inBatches(inputs, n, 1, forward::scores);
    }

    /**
     * The explained score at one input with each of {@code channels} of the layer's output zeroed in turn, forward
     * only, at most {@link #batch} copies of the input at a time: what Ablation-CAM asks.
     */
    float[] ablatedScores(float[] input, int[] channels) {
        float[] out = new float[channels.length];
        for (int first = 0; first < channels.length; first += batch) {
            int[] part = Arrays.copyOfRange(channels, first, Math.min(channels.length, first + batch));
            System.arraycopy(ablated.ablated(input, part), 0, out, first, part.length);
        }
        return out;
    }

    /** {@code perInput} values for each of n inputs, from {@code pass} over at most {@link #batch} at a time. */
    private float[] inBatches(float[] inputs, int n, int perInput, Pass pass) {
        if (n <= batch) {
            return pass.at(inputs, n);
        }
        float[] out = new float[n * perInput];
        for (int first = 0; first < n; first += batch) {
            int count = Math.min(batch, n - first);
            float[] part = new float[count * plane];
            System.arraycopy(inputs, first * plane, part, 0, count * plane);
            System.arraycopy(pass.at(part, count), 0, out, first * perInput, count * perInput);
        }
        return out;
    }

    /** One pass of the model over a part of the inputs: its values for each of {@code count} inputs. */
    @FunctionalInterface
    private interface Pass {
        float[] at(float[] part, int count);
    }

    /** The layer's output and gradient at n inputs, n at most {@link #batch}. */
    LayerBatch layer(float[] inputs, int n) {
        return layer.at(inputs, n);
    }

    /** The attention layers' probabilities (and gradients, when the method weighs by them) at n inputs, n at most
     * {@link #batch}. */
    TappedLayers attention(float[] inputs, int n) {
        return attention.attentionAt(inputs, n);
    }
}
