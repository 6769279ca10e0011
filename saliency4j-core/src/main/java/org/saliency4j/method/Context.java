package org.saliency4j.method;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;
import org.saliency4j.internal.ParallelPasses;

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
        passes(parts(channels.length), part -> Arrays.copyOfRange(channels, first(part),
                first(part) + count(part, channels.length)), zeroed -> ablated.ablated(input, zeroed),
                (scores, part) -> System.arraycopy(scores, 0, out, first(part), scores.length));
        return out;
    }

    /** {@code perInput} values for each of n inputs, from {@code pass} over at most {@link #batch} at a time. */
    private float[] inBatches(float[] inputs, int n, int perInput, Pass pass) {
        if (n <= batch) {
            return pass.at(inputs, n);
        }
        float[] out = new float[n * perInput];
        passes(parts(n), part -> Arrays.copyOfRange(inputs, first(part) * plane, (first(part) + count(part, n)) * plane),
                values -> pass.at(values, values.length / plane),
                (values, part) -> System.arraycopy(values, 0, out, first(part) * perInput, values.length));
        return out;
    }

    /**
     * Runs {@code parts} passes of the model: {@code prepare} builds each part's inputs on this thread, in order
     * (so random draws do not depend on threads); {@code pass} sends them through the model, up to
     * {@link ParallelPasses#threads()} parts at once on spare cores; {@code combine} takes the results on this
     * thread, in order. So the results are bit for bit those of one thread, and at most that many parts are held
     * at once (a call made inside a pass, a noise tunnel's copy, runs its parts one at a time).
     */
    <P, R> void passes(int parts, IntFunction<P> prepare, Function<P, R> pass, ObjIntConsumer<R> combine) {
        int window = ParallelPasses.threads();
        for (int first = 0; first < parts; first += window) {
            int count = Math.min(window, parts - first);
            List<P> inputs = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                inputs.add(prepare.apply(first + k));
            }
            List<R> results = ParallelPasses.map(inputs, pass);
            for (int k = 0; k < count; k++) {
                combine.accept(results.get(k), first + k);
            }
        }
    }

    /** Parts of at most {@link #batch} that n inputs make. */
    int parts(long n) {
        return Math.toIntExact((n + batch - 1) / batch);
    }

    /** The index of a part's first input. */
    int first(int part) {
        return part * batch;
    }

    /** The inputs in a part, of n in all. */
    int count(int part, long n) {
        return (int) Math.min(batch, n - (long) part * batch);
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
