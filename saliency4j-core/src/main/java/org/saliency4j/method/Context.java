package org.saliency4j.method;

/**
 * What an algorithm may ask of the model for one explained image: gradients, layers and scores at batches of inputs,
 * sent through the model at most {@link #batch} at a time, so memory is bounded and results do not depend on the
 * batch size.
 */
final class Context {
    private final ScoreGradients model;
    private final LayerGradients layer;
    private final TargetScores forward;
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

    Context(ScoreGradients model, LayerGradients layer, TargetScores forward, int height, int width, int batch,
            float[] baseline) {
        this.model = model;
        this.layer = layer;
        this.forward = forward;
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
}
