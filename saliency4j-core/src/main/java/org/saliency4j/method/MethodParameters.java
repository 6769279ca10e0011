package org.saliency4j.method;

import java.util.List;
import java.util.regex.Pattern;
import org.saliency4j.Baseline;
import org.saliency4j.Parameter;
import org.saliency4j.Vocabulary;

/**
 * The methods' parameters, each written once, as the {@link org.saliency4j.Vocabulary} writes the request's: name,
 * default, bounds and help. The records check their values against them, {@link MethodSettings} reads them, the
 * command line shows them as options ({@code --samples}), the service reads them as query parameters and lists
 * them in {@code GET /v1/methods}; errors name them neutrally ({@code samples}).
 */
public final class MethodParameters {
    /** A module path: names of submodules joined by dots. */
    private static final Pattern LAYER_PATH = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

    public static final Parameter<Integer> SAMPLES = Parameter.integer("samples", 1, 10_000)
            .withDefault("50")
            .withHelp("Noise tunnels: noisy copies per image");
    /** Up to 100 times the input's range: far past any useful level, and still a finite input for the model. */
    public static final Parameter<Double> NOISE = Parameter.decimal("noise", 0, 100)
            .withDefault("0.15")
            .withHelp("Noise tunnels: noise std as a fraction of the input's range");
    public static final Parameter<Long> SEED = Parameter.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE)
            .withDefault("0")
            .withHelp("Noise tunnels, RISE's masks and the uniform baseline: the seed");
    public static final Parameter<Integer> STEPS = Parameter.countOrAuto("steps", 10_000)
            .withDefault("64")
            .withHelp("Integrated gradients: integration steps (gradients along the path), or auto: doubled from "
                    + IntegratedGradients.FIRST_AUTO_STEPS + " until the convergence delta is within the tolerance");
    public static final Parameter<Double> TOLERANCE = Parameter.decimal("tolerance", 1e-6, 1)
            .withDefault("0.05")
            .withHelp("Integrated gradients with steps=auto: the |convergence delta| accepted, as a fraction of "
                    + "|f(input) - f(baseline)|");
    public static final Parameter<Integer> MAX_STEPS = Parameter.integer("max-steps", 1, 10_000)
            .withDefault("256")
            .withHelp("Integrated gradients with steps=auto: the most steps tried");
    public static final Parameter<Quadrature> INTEGRATION = Parameter.choice("integration", Quadrature.class)
            .withDefault("midpoint")
            .withHelp("Integrated gradients: the quadrature rule, midpoint (equal steps) or gauss-legendre (Captum's "
                    + "default: exact for polynomials of degree 2 x steps - 1 along the path, so fewer steps)");
    public static final Parameter<Baseline> BASELINE = Parameter.of("baseline", Baseline.class, Baseline::parse)
            .withDefault("zero")
            .withHelp("Integrated gradients: where the path starts; occlusion and RISE: what hides a region (zero, "
                    + "black, blur, uniform or an image file)");
    /** The largest input side, {@link Vocabulary#INPUT_SIZE}'s: no window or stride is larger. */
    private static final int LARGEST_SIDE = (int) Vocabulary.INPUT_SIZE.bounds().orElseThrow().max();
    public static final Parameter<Integer> WINDOW = Parameter.integer("window", 1, LARGEST_SIDE)
            .withDefault("16")
            .withHelp("Occlusion: the side of the square hidden at a time, in input pixels; at most the input's side");
    public static final Parameter<Integer> STRIDE = Parameter.integer("stride", 1, LARGEST_SIDE)
            .withDefault("8")
            .withHelp("Occlusion: the step between windows, in input pixels, at most the window (so every pixel is "
                    + "hidden once at least); a larger stride is fewer windows, each one a forward pass");
    public static final Parameter<Integer> MASKS = Parameter.integer("masks", 1, 10_000)
            .withDefault("1000")
            .withHelp("RISE: random masks, each one a forward pass (the paper used 4000)");
    public static final Parameter<Integer> CELLS = Parameter.integer("cells", 1, 64)
            .withDefault("7")
            .withHelp("RISE: each mask's grid is cells x cells, upsampled to the input: fewer cells hide larger "
                    + "regions");
    /** Above zero: the map is divided by it. */
    public static final Parameter<Double> KEEP = Parameter.decimal("keep", 0.01, 1)
            .withDefault("0.5")
            .withHelp("RISE: the probability that a mask keeps a cell of its grid (the paper's p)");
    public static final Parameter<HeadFusion> HEAD_FUSION = Parameter.choice("head-fusion", HeadFusion.class)
            .withDefault("mean")
            .withHelp("Attention rollout: how each block's heads merge, mean (the paper's), max or min");
    public static final Parameter<String> LAYER = Parameter.of("layer", String.class, MethodParameters::layer)
            .withModelDefault("the model's last layer with a spatial output; `saliency4j model layers` lists them")
            .withHelp("Grad-CAM family: the layer to weigh, a module path such as features.norm5");

    private MethodParameters() {
    }

    /** Every method parameter, the method itself ({@link Methods#METHOD}) first. */
    public static List<Parameter<?>> all() {
        return List.of(Methods.METHOD, SAMPLES, NOISE, SEED, STEPS, TOLERANCE, MAX_STEPS, INTEGRATION, BASELINE,
                HEAD_FUSION, LAYER, WINDOW, STRIDE, MASKS, CELLS, KEEP);
    }

    /**
     * A layer as a method keeps it: a module path, or null for the model's default.
     *
     * @throws org.saliency4j.SaliencyException naming {@code layer} when it is not a module path
     */
    static String checkLayer(String layer) {
        return layer == null ? null : LAYER.parse(layer);
    }

    private static String layer(String text) {
        String path = text == null ? "" : text.trim();
        if (!LAYER_PATH.matcher(path).matches()) {
            throw LAYER.invalid("'" + text + "' is not a module path such as features.norm5");
        }
        return path;
    }
}
