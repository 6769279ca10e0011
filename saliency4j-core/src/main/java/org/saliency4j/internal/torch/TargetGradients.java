package org.saliency4j.internal.torch;

import java.util.List;
import org.saliency4j.Score;
import org.saliency4j.method.AblatedScores;
import org.saliency4j.method.AttentionGradients;
import org.saliency4j.method.AttentionTaps;
import org.saliency4j.method.LayerBatch;
import org.saliency4j.method.LayerGradients;
import org.saliency4j.method.ReluRule;
import org.saliency4j.method.ScoreGradients;
import org.saliency4j.method.TappedLayers;
import org.saliency4j.method.TargetScores;

/**
 * The classifier as a method sees it: gradients of one target's score, a layer's, and the attention layers', and
 * the score alone, at any inputs, also with one of the layer's channels zeroed. The target, the score and the
 * layers are fixed by the caller, so the methods need know nothing of the engine.
 */
public final class TargetGradients implements ScoreGradients, LayerGradients, TargetScores, AblatedScores,
        AttentionGradients {
    private final TorchClassifier classifier;
    private final int height;
    private final int width;
    private final int targetIndex;
    private final TargetChooser target;
    private final Score score;
    private final String layer;
    private final List<String> attentionLayers;
    private final AttentionTaps attention;
    private final Runnable beforePass;

    /**
     * @param target          the class whose score is differentiated, for every input
     * @param layer           the layer {@link LayerGradients#at} weighs and {@link #ablated} zeroes channels of;
     *                        null when none is
     * @param attentionLayers the layers {@link #attentionAt} returns; empty when none are read
     * @param attention       what of them: their probabilities, or their gradients as well
     * @param beforePass      run before every forward and backward pass (a cancellation check, which may throw)
     */
    public TargetGradients(TorchClassifier classifier, int height, int width, int target, Score score, String layer,
                           List<String> attentionLayers, AttentionTaps attention, Runnable beforePass) {
        this.classifier = classifier;
        this.height = height;
        this.width = width;
        this.targetIndex = target;
        this.target = (i, probabilities) -> target;
        this.score = score;
        this.layer = layer;
        this.attentionLayers = List.copyOf(attentionLayers);
        this.attention = attention;
        this.beforePass = beforePass;
    }

    @Override
    public ScoreGradients.Result at(float[] inputs, int n, ReluRule relu) {
        beforePass.run();
        GradientBatch b = classifier.gradients(inputs, n, height, width, target, score, relu);
        return new ScoreGradients.Result(b.gradient(), b.scores());
    }

    @Override
    public LayerBatch at(float[] inputs, int n) {
        beforePass.run();
        return classifier.layerGradients(inputs, n, height, width, target, score, layer);
    }

    @Override
    public float[] scores(float[] inputs, int n) {
        beforePass.run();
        return classifier.scores(inputs, n, height, width, targetIndex, score);
    }

    @Override
    public float[] ablated(float[] input, int[] channels) {
        beforePass.run();
        return classifier.ablatedScores(input, height, width, targetIndex, score, layer, channels);
    }

    /** The attention layers at n inputs: a forward pass, and a backward pass when their gradients are read. */
    @Override
    public TappedLayers attentionAt(float[] inputs, int n) {
        beforePass.run();
        return classifier.layersPass(inputs, n, height, width, target, score, attentionLayers,
                attention == AttentionTaps.PROBABILITIES_AND_GRADIENTS, false).layers();
    }
}
