package org.saliency4j.method;

import java.util.Map;
import java.util.Optional;
import org.saliency4j.Baseline;

/**
 * An attribution method and its parameters, as a value: one record per method. Two methods are equal when they
 * compute the same attribution, whatever else a user typed (a vanilla method has no steps).
 *
 * <pre>{@code
 * Method.gradCam("features.norm5");
 * Method.smoothGrad(Method.integratedGradients(64), 50);
 * Method.parse("smoothgrad-sq:gradient-x-input");
 * }</pre>
 *
 * <p>Each method says what it needs (a layer, a ReLU rule, a baseline) and what it costs ({@link #passes(Workload)});
 * {@link Methods} names them and builds them from parameter values.
 */
public sealed interface Method permits Vanilla, GradientXInput, IntegratedGradients, GuidedBackprop, Deconvnet,
        LayerMethod, AttentionMethod, NoiseTunnel, Occlusion, Rise {

    /** The gradient of the score w.r.t. the input. */
    static Vanilla vanilla() {
        return new Vanilla();
    }

    /** The gradient times the input. */
    static GradientXInput gradientXInput() {
        return new GradientXInput();
    }

    /** Integrated gradients from the zero baseline (the dataset's mean colour). */
    static IntegratedGradients integratedGradients(int steps) {
        return new IntegratedGradients(steps, Baseline.zero());
    }

    static IntegratedGradients integratedGradients(int steps, Baseline baseline) {
        return new IntegratedGradients(steps, baseline);
    }

    static GuidedBackprop guidedBackprop() {
        return new GuidedBackprop();
    }

    static Deconvnet deconvnet() {
        return new Deconvnet();
    }

    /** Grad-CAM at the model's default layer, its last with a spatial output. */
    static GradCam gradCam() {
        return new GradCam(null);
    }

    /** @param layer a module path such as {@code features.norm5} */
    static GradCam gradCam(String layer) {
        return new GradCam(layer);
    }

    static GradCamPlusPlus gradCamPlusPlus() {
        return new GradCamPlusPlus(null);
    }

    static GradCamPlusPlus gradCamPlusPlus(String layer) {
        return new GradCamPlusPlus(layer);
    }

    static GuidedGradCam guidedGradCam() {
        return new GuidedGradCam(null);
    }

    static GuidedGradCam guidedGradCam(String layer) {
        return new GuidedGradCam(layer);
    }

    /** Attention rollout with the heads' mean (Abnar and Zuidema, 2020). */
    static AttentionRollout attentionRollout() {
        return new AttentionRollout(HeadFusion.MEAN);
    }

    /** Gradient-weighted attention rollout (Chefer et al., 2021). */
    static GradientRollout gradientRollout() {
        return new GradientRollout();
    }

    /**
     * Occlusion by a window of {@code window} x {@code window} pixels, moved {@code stride} pixels at a time, hiding
     * behind the zero baseline (the dataset's mean colour).
     */
    static Occlusion occlusion(int window, int stride) {
        return new Occlusion(window, stride, Baseline.zero());
    }

    /** RISE with {@code masks} masks on the paper's grid (7 x 7, half the cells kept), seed 0, the zero baseline. */
    static Rise rise(int masks) {
        return new Rise(masks, MethodParameters.CELLS.defaultValue(), MethodParameters.KEEP.defaultValue(),
                Baseline.zero(), MethodParameters.SEED.defaultValue());
    }

    /** SmoothGrad around {@code base}, with the default noise and seed. */
    static NoiseTunnel smoothGrad(Method base, int samples) {
        return NoiseTunnel.of(NoiseTunnel.Kind.SMOOTHGRAD, base, samples);
    }

    /** The mean square of {@code base} over noisy copies, with the default noise and seed. */
    static NoiseTunnel smoothGradSquared(Method base, int samples) {
        return NoiseTunnel.of(NoiseTunnel.Kind.SMOOTHGRAD_SQ, base, samples);
    }

    /** The variance of {@code base} over noisy copies, with the default noise and seed. */
    static NoiseTunnel varGrad(Method base, int samples) {
        return NoiseTunnel.of(NoiseTunnel.Kind.VARGRAD, base, samples);
    }

    /**
     * A spec as the command line and the service read it ({@code grad-cam++}, {@code smoothgrad:grad-cam}), with
     * every parameter at its default; see {@link Methods#parse}.
     */
    static Method parse(String spec) {
        return Methods.parse(spec, MethodSettings.defaults());
    }

    /**
     * The method's name as {@link #parse} reads it, e.g. {@code smoothgrad:gradient-x-input}: which method, not its
     * parameters ({@link Methods#parse(String, MethodSettings)} takes those).
     */
    default String spec() {
        return Methods.spec(this);
    }

    /**
     * Images sent through the model to explain one image of the {@code workload}'s size: the first pass, which
     * gives every method the prediction and the target's gradient (and the layer's, when {@link #layerAtInput()}),
     * and those the method adds, each a forward and a backward pass or, for the methods that need no gradient, a
     * forward pass alone. A request's work is this times the input's pixels.
     */
    long passes(Workload workload);

    /**
     * The parameters its {@link #passes(Workload)} grow with, and their values ({@code samples=50},
     * {@code steps=64}): what a user lowers to make the method cheaper. Empty for methods of a fixed cost.
     */
    default Map<String, Number> costParameters() {
        return Map.of();
    }

    /**
     * What a user changes to make the method cheaper, in words an error can end with ({@code lower samples or
     * steps}); empty for a method of a fixed cost.
     */
    default String cheaper() {
        return costParameters().isEmpty() ? "" : "lower " + String.join(" or ", costParameters().keySet());
    }

    /** Passes the method makes on an input nothing is known about yet: a noise tunnel's noisy copy. */
    long passesPerCopy(Workload workload);

    /** Channels of the attribution: the Grad-CAM map is one plane, the others are per input channel. */
    default int channels() {
        return 3;
    }

    /** Whether the explanation reports a convergence delta (integrated gradients' completeness check). */
    default boolean reportsConvergenceDelta() {
        return false;
    }

    /** Whether this method, or the one a noise tunnel wraps, weighs a layer's output (and so takes a layer). */
    default boolean usesLayer() {
        return false;
    }

    /** Whether the first pass, at the input itself, must also return the layer's output and gradient. */
    default boolean layerAtInput() {
        return usesLayer();
    }

    /** The layer weighed, a module path; null for the model's default layer, or when none is weighed. */
    default String layer() {
        return null;
    }

    /** This method weighing {@code layer} (null: the model's default); the same method when it weighs none. */
    default Method withLayer(String layer) {
        return this;
    }

    /**
     * What this method, or the one a noise tunnel wraps, reads of a vision transformer's attention layers (every
     * layer of shape (batch, heads, 1 + side * side, 1 + side * side) whose rows are probabilities).
     */
    default AttentionTaps attentionTaps() {
        return AttentionTaps.NONE;
    }

    /** Whether the first pass, at the input itself, must also return the attention layers. */
    default boolean attentionAtInput() {
        return attentionTaps() != AttentionTaps.NONE;
    }

    /** How ReLUs pass gradients back when this method asks for gradients at its inputs. */
    default ReluRule relu() {
        return ReluRule.STANDARD;
    }

    /**
     * The baseline the method compares the input with, when it has one: where integrated gradients' path starts,
     * what occlusion and RISE show in place of what they hide.
     */
    default Optional<Baseline> reference() {
        return Optional.empty();
    }
}
