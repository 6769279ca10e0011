package org.saliency4j.method;

import org.saliency4j.Vocabulary;

/**
 * Computes a method's attribution for one explained image, asking the model, through {@link ScoreGradients},
 * {@link LayerGradients}, {@link TargetScores} and {@link AblatedScores}, for gradients or scores at more inputs
 * (noisy copies, path points, perturbed copies) at most {@code batch} at a time. Captum's design: SmoothGrad and its kin are a wrapper
 * (a noise tunnel) around any base method.
 */
public final class Attributions {

    /**
     * @param values           the attribution, (3, H, W), or (1, H, W) for the class activation maps
     * @param convergenceDelta for integrated gradients: the attributions' sum minus (f(input) - f(baseline)),
     *                         which the path integral makes zero in the limit; NaN for other methods
     * @param integrationSteps for integrated gradients: the steps taken (the automatic choice's); 0 otherwise
     */
    public record Result(float[] values, double convergenceDelta, int integrationSteps) {
        /** A result of a method that does not integrate. */
        public Result(float[] values, double convergenceDelta) {
            this(values, convergenceDelta, 0);
        }
    }

    /**
     * The explained image and what its first pass found.
     *
     * @param values    the image, (3, H, W)
     * @param score     the explained score at it, from its first pass: occlusion's f(input)
     * @param gradient  the gradient of the explained score at it, under standard ReLUs
     * @param layer     the layer's output and gradient at it when the method weighs its layer there
     *                  ({@link Method#layerAtInput()}), else null
     * @param baseline  the method's {@link Method#reference() baseline}, (3, H, W), when it has one, else null
     * @param attention the attention layers' probabilities (and gradients) at it when the method rolls them out
     *                  there ({@link Method#attentionAtInput()}), else null
     */
    public record Input(float[] values, float score, float[] gradient, LayerBatch layer, float[] baseline,
                        TappedLayers attention) {
        /** The input of a method that rolls out no attention at it. */
        public Input(float[] values, float score, float[] gradient, LayerBatch layer, float[] baseline) {
            this(values, score, gradient, layer, baseline, null);
        }
    }

    private final ScoreGradients model;
    private final LayerGradients layer;
    private final TargetScores scores;
    private final AblatedScores ablated;
    private final AttentionGradients attention;
    private final int height;
    private final int width;
    private final int batch;

    /**
     * @param layer     the model's layer gradients, for the Grad-CAM family (may be null for other methods)
     * @param scores    the model's scores without gradients, for the forward-only methods (may be null for others)
     * @param ablated   the model's scores with one of the layer's channels zeroed, for Ablation-CAM (may be null
     *                  for other methods)
     * @param attention the model's attention layers, for the attention rollouts (may be null for other methods)
     * @param batch     the most inputs sent through the model at once: bounds memory, not results
     */
    public Attributions(ScoreGradients model, LayerGradients layer, TargetScores scores, AblatedScores ablated,
                        AttentionGradients attention, int height, int width, int batch) {
        if (batch < 1) {
            throw Vocabulary.BATCH.invalid("must be at least 1 here (a model resolves 0), got " + batch);
        }
        Vocabulary.BATCH.check(batch);
        this.model = model;
        this.layer = layer;
        this.scores = scores;
        this.ablated = ablated;
        this.attention = attention;
        this.height = height;
        this.width = width;
        this.batch = batch;
    }

    public Result attribute(Method method, Input input) {
        return Methods.algorithm(method).atInput(input, new Context(model, layer, scores, ablated, attention, height,
                width, batch, input.baseline()));
    }
}
