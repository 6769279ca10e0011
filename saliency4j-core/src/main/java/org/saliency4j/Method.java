package org.saliency4j;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The attribution method and its parameters.
 *
 * @param kind     the method
 * @param base     for the noise tunnels (smoothgrad, smoothgrad-sq, vargrad): the method run on each noisy copy
 * @param samples  noisy copies per image (noise tunnels)
 * @param noise    the noise's standard deviation as a fraction of the input's range, as SmoothGrad's paper defines it
 * @param seed     seeds the noise (and the uniform baseline)
 * @param steps    integration steps (integrated gradients)
 * @param baseline the integration's starting point (integrated gradients)
 * @param batch    the most inputs sent through the model at once: bounds memory, not results
 * @param layer    for the Grad-CAM family: the layer whose output is weighed, a module path such as
 *                 {@code features.norm5}; null for the model's last spatial layer
 */
public record Method(Kind kind, Kind base, int samples, double noise, long seed, int steps, Baseline baseline,
                     int batch, String layer) {
    /** The largest noise level, as a fraction of the input's range. */
    public static final double MAX_NOISE = 100;


    public enum Kind {
        /** The gradient of the score w.r.t. the input (Simonyan et al., 2013). */
        VANILLA,
        /** The gradient times the input (Shrikumar et al., 2016). */
        GRADIENT_X_INPUT,
        /** Path-integrated gradients from a baseline to the input (Sundararajan et al., 2017), midpoint rule. */
        INTEGRATED_GRADIENTS,
        /** Gradients through ReLUs that pass only positive gradients where the input was positive (Springenberg et al., 2015). */
        GUIDED_BACKPROP,
        /** Gradients through ReLUs that pass the positive part of the gradient regardless of the input (Zeiler and Fergus, 2014). */
        DECONVNET,
        /** The mean of the base method over noisy copies (Smilkov et al., 2017). */
        SMOOTHGRAD,
        /** The mean of the squared base method over noisy copies. */
        SMOOTHGRAD_SQ,
        /** The variance of the base method over noisy copies (Adebayo et al., 2018). */
        VARGRAD,
        /**
         * A layer's output channels weighted by their spatially averaged gradients, summed, ReLU, upsampled to the
         * input bilinearly (Selvaraju et al., 2017).
         */
        GRAD_CAM,
        /** Grad-CAM with each position's gradient weighted by the second-order terms of Chattopadhay et al., 2018. */
        GRAD_CAM_PLUS_PLUS,
        /** Guided backpropagation times the Grad-CAM map (Selvaraju et al., 2017). */
        GUIDED_GRAD_CAM;

        public String optionName() {
            return this == GRAD_CAM_PLUS_PLUS ? "grad-cam++" : name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public boolean isNoiseTunnel() {
            return this == SMOOTHGRAD || this == SMOOTHGRAD_SQ || this == VARGRAD;
        }

        /** Whether the method weighs a layer's output (and so takes {@code --layer}). */
        public boolean usesLayer() {
            return this == GRAD_CAM || this == GRAD_CAM_PLUS_PLUS || this == GUIDED_GRAD_CAM;
        }

        /** Channels of the attribution: the Grad-CAM map is one plane, the others are per input channel. */
        public int channels() {
            return this == GRAD_CAM || this == GRAD_CAM_PLUS_PLUS ? 1 : 3;
        }

        static Kind parse(String text) {
            return Options.parseEnum(Kind.class, "method", text.trim().replace("++", "-plus-plus"));
        }
    }

    public Method {
        if (kind == null || base == null || baseline == null) {
            throw new IllegalArgumentException("kind, base and baseline are required");
        }
        if (base.isNoiseTunnel()) {
            throw Options.invalid("method", "a noise tunnel cannot wrap another (" + base.optionName() + ")");
        }
        if (samples < 1 || samples > 10_000) {
            throw Options.invalid("samples", "must be between 1 and 10000, got " + samples);
        }
        // Up to 100 times the input's range: far past any useful level, and still a finite input for the model.
        if (!(noise >= 0) || !(noise <= MAX_NOISE)) {
            throw Options.invalid("noise", "must be between 0 and " + (int) MAX_NOISE + " (a fraction of the "
                    + "input's range), got " + noise);
        }
        if (steps < 1 || steps > 10_000) {
            throw Options.invalid("steps", "must be between 1 and 10000, got " + steps);
        }
        if (batch < 1 || batch > 4096) {
            throw Options.invalid("batch", "must be between 1 and 4096, got " + batch);
        }
        if (layer != null && !LAYER.matcher(layer).matches()) {
            throw Options.invalid("layer", "'" + layer + "' is not a module path such as features.norm5");
        }
    }

    private static final Pattern LAYER = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

    /** Vanilla gradients; SmoothGrad's defaults (50 samples, 15% noise), 64 integration steps from zero, batches of 16. */
    public static Method vanilla() {
        return new Method(Kind.VANILLA, Kind.VANILLA, 50, 0.15, 0, 64, Baseline.zero(), 16, null);
    }

    /**
     * Parses {@code vanilla}, {@code gradient-x-input}, {@code integrated-gradients}, {@code guided-backprop},
     * {@code deconvnet}, {@code grad-cam}, {@code grad-cam++}, {@code guided-grad-cam}, or a noise tunnel with an
     * optional base: {@code smoothgrad}, {@code smoothgrad-sq:gradient-x-input}, {@code vargrad:integrated-gradients}.
     * The other parameters are this method's.
     */
    public Method withSpec(String spec) {
        String[] parts = spec.trim().split(":", 2);
        Kind k = Kind.parse(parts[0]);
        Kind b = parts.length > 1 ? Kind.parse(parts[1]) : Kind.VANILLA;
        if (parts.length > 1 && !k.isNoiseTunnel()) {
            throw Options.invalid("method", "only smoothgrad, smoothgrad-sq and vargrad take a base method, not "
                    + k.optionName());
        }
        return new Method(k, b, samples, noise, seed, steps, baseline, batch, layer);
    }

    public Method withSamples(int value) {
        return new Method(kind, base, value, noise, seed, steps, baseline, batch, layer);
    }

    public Method withNoise(double value) {
        return new Method(kind, base, samples, value, seed, steps, baseline, batch, layer);
    }

    public Method withSeed(long value) {
        return new Method(kind, base, samples, noise, value, steps, baseline, batch, layer);
    }

    public Method withSteps(int value) {
        return new Method(kind, base, samples, noise, seed, value, baseline, batch, layer);
    }

    public Method withBaseline(Baseline value) {
        return new Method(kind, base, samples, noise, seed, steps, value, batch, layer);
    }

    public Method withBatch(int value) {
        return new Method(kind, base, samples, noise, seed, steps, baseline, value, layer);
    }

    /** @param value a module path, or null for the model's last spatial layer */
    public Method withLayer(String value) {
        return new Method(kind, base, samples, noise, seed, steps, baseline, batch, value);
    }

    /**
     * Images sent through the model, one forward and one backward pass each, to explain one image: the first pass,
     * which gives every method the prediction and the target's gradient (and the layer's, for the Grad-CAM family),
     * and those the method adds. A request's work is this times the input's pixels.
     */
    public long passes() {
        long added = kind.isNoiseTunnel() ? (long) samples * passesPerInput(base) : switch (kind) {
            // The first pass's gradient, or its layer, is the attribution.
            case VANILLA, GRAD_CAM, GRAD_CAM_PLUS_PLUS -> 0;
            // Guided gradients; the Grad-CAM map comes from the first pass.
            case GUIDED_GRAD_CAM -> 1;
            // The path points, then the input and the baseline scored for the convergence delta.
            case INTEGRATED_GRADIENTS -> steps + 2L;
            // Gradients again, under other ReLU rules (or multiplied by the input).
            default -> 1;
        };
        return 1 + added;
    }

    /** Passes a base method makes on an input nothing is known about yet (a noisy copy). */
    private long passesPerInput(Kind k) {
        return switch (k) {
            case INTEGRATED_GRADIENTS -> steps;
            // Guided gradients, and the layer's.
            case GUIDED_GRAD_CAM -> 2;
            default -> 1;
        };
    }

    /** Whether this method, or the one its noise tunnel wraps, weighs a layer's output. */
    public boolean usesLayer() {
        return kind.usesLayer() || kind.isNoiseTunnel() && base.usesLayer();
    }

    /** The spec as {@link #withSpec} reads it, e.g. {@code smoothgrad:gradient-x-input}. */
    public String spec() {
        return kind.isNoiseTunnel() && base != Kind.VANILLA ? kind.optionName() + ":" + base.optionName()
                : kind.optionName();
    }
}
