package org.saliency4j.method;

import static org.saliency4j.method.MethodParameters.BASELINE;
import static org.saliency4j.method.MethodParameters.CELLS;
import static org.saliency4j.method.MethodParameters.HEAD_FUSION;
import static org.saliency4j.method.MethodParameters.INTEGRATION;
import static org.saliency4j.method.MethodParameters.KEEP;
import static org.saliency4j.method.MethodParameters.LAYER;
import static org.saliency4j.method.MethodParameters.MASKS;
import static org.saliency4j.method.MethodParameters.MAX_STEPS;
import static org.saliency4j.method.MethodParameters.NOISE;
import static org.saliency4j.method.MethodParameters.SAMPLES;
import static org.saliency4j.method.MethodParameters.SEED;
import static org.saliency4j.method.MethodParameters.STEPS;
import static org.saliency4j.method.MethodParameters.STRIDE;
import static org.saliency4j.method.MethodParameters.TOLERANCE;
import static org.saliency4j.method.MethodParameters.WINDOW;

import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.saliency4j.Parameter;
import org.saliency4j.SaliencyException;
import org.saliency4j.method.NoiseTunnel.Kind;

/**
 * The methods by name, one line each: the spec name the command line and the service read, a description, the
 * parameters it takes, how its record is built from parameter values, and its algorithm. Adding a method is one
 * record, one algorithm and one line here.
 */
public final class Methods {
    private static final List<Parameter<?>> NONE = List.of();
    private static final List<Parameter<?>> LAYER_ONLY = List.of(LAYER);
    private static final List<Parameter<?>> TUNNEL = List.of(SAMPLES, NOISE, SEED);

    private static final List<Entry<?>> ENTRIES = List.of(
            entry("vanilla", "The gradient of the score w.r.t. the input (Simonyan et al., 2013)", Vanilla.class,
                    NONE, s -> new Vanilla(), VanillaAlgorithm::new),
            entry("gradient-x-input", "The gradient times the input (Shrikumar et al., 2016)", GradientXInput.class,
                    NONE, s -> new GradientXInput(), GradientXInputAlgorithm::new),
            entry("integrated-gradients", "Path-integrated gradients from a baseline to the input (Sundararajan et "
                    + "al., 2017), midpoint or Gauss-Legendre rule", IntegratedGradients.class,
                    List.of(STEPS, TOLERANCE, MAX_STEPS, INTEGRATION, BASELINE, SEED), s -> new IntegratedGradients(
                    s.get(STEPS), s.get(BASELINE).withSeed(s.get(SEED)), s.get(INTEGRATION), s.get(TOLERANCE),
                    s.get(MAX_STEPS)), IntegratedGradientsAlgorithm::new),
            entry("guided-backprop", "Gradients through ReLUs that pass only positive gradients where the input "
                    + "was positive (Springenberg et al., 2015)", GuidedBackprop.class, NONE,
                    s -> new GuidedBackprop(), GuidedBackpropAlgorithm::new),
            entry("deconvnet", "Gradients through ReLUs that pass the positive part of the gradient regardless of "
                    + "the input (Zeiler and Fergus, 2014)", Deconvnet.class, NONE, s -> new Deconvnet(),
                    DeconvnetAlgorithm::new),
            entry("grad-cam", "A layer's output channels weighted by their mean gradients, summed, ReLU, "
                    + "upsampled (Selvaraju et al., 2017)", GradCam.class, LAYER_ONLY, s -> new GradCam(s.get(LAYER)),
                    m -> new ClassActivationMapAlgorithm(ClassActivationMaps::gradCam)),
            entry("grad-cam++", "Grad-CAM with second-order weights per position (Chattopadhay et al., 2018)",
                    GradCamPlusPlus.class, LAYER_ONLY, s -> new GradCamPlusPlus(s.get(LAYER)),
                    m -> new ClassActivationMapAlgorithm(ClassActivationMaps::gradCamPlusPlus)),
            entry("xgrad-cam", "Grad-CAM with channel weights sum(gradient x output) / sum(output) (Fu et al., "
                    + "2020)", XGradCam.class, LAYER_ONLY, s -> new XGradCam(s.get(LAYER)),
                    m -> new ClassActivationMapAlgorithm(ClassActivationMaps::xGradCam)),
            entry("hires-cam", "A layer's output times its gradient, element-wise, summed over channels, ReLU, "
                    + "upsampled (Draelos and Carin, 2020)", HiResCam.class, LAYER_ONLY,
                    s -> new HiResCam(s.get(LAYER)),
                    m -> new ClassActivationMapAlgorithm(ClassActivationMaps::hiResCam)),
            entry("layer-cam", "A layer's output times the positive part of its gradient, element-wise, summed over "
                    + "channels, ReLU, upsampled (Jiang et al., 2021)", LayerCam.class, LAYER_ONLY,
                    s -> new LayerCam(s.get(LAYER)),
                    m -> new ClassActivationMapAlgorithm(ClassActivationMaps::layerCam)),
            entry("eigen-cam", "A layer's output on its first principal component, ReLU, upsampled; no gradient, the "
                    + "same map for every target (Muhammad and Yeasin, 2020)", EigenCam.class, LAYER_ONLY,
                    s -> new EigenCam(s.get(LAYER)),
                    m -> new ClassActivationMapAlgorithm(ClassActivationMaps::eigenCam)),
            entry("score-cam", "Each channel of a layer, upsampled and scaled to [0, 1], masks the input; the softmax of "
                    + "the masked inputs' scores weighs the channels; forward only, one pass per channel (Wang et al., "
                    + "2020)", ScoreCam.class, LAYER_ONLY, s -> new ScoreCam(s.get(LAYER)),
                    m -> new ClassActivationMapAlgorithm(ChannelScoredMaps::scoreCam)),
            entry("ablation-cam", "A layer's channels weighted by the score's relative drop when each is zeroed; "
                    + "forward only, one pass per channel (Desai and Ramaswamy, 2020)", AblationCam.class, LAYER_ONLY,
                    s -> new AblationCam(s.get(LAYER)),
                    m -> new ClassActivationMapAlgorithm(ChannelScoredMaps::ablationCam)),
            entry("guided-grad-cam", "Guided backpropagation times the Grad-CAM map (Selvaraju et al., 2017)",
                    GuidedGradCam.class, LAYER_ONLY, s -> new GuidedGradCam(s.get(LAYER)), GuidedGradCamAlgorithm::new),
            entry("attention-rollout", "A vision transformer's attention rolled out through its blocks, with the "
                    + "residual as 0.5 A + 0.5 I; the class token's row over the patches, upsampled; no gradient "
                    + "(Abnar and Zuidema, 2020)", AttentionRollout.class, List.of(HEAD_FUSION),
                    s -> new AttentionRollout(s.get(HEAD_FUSION)),
                    m -> new RolloutAlgorithm((batch, i) -> Rollout.attention(batch, i, m.headFusion()))),
            entry("grad-rollout", "Attention rollout weighted by the gradient, mean over heads of (gradient x "
                    + "attention)^+, R <- R + A R (Chefer et al., 2021)", GradientRollout.class, NONE,
                    s -> new GradientRollout(), m -> new RolloutAlgorithm(Rollout::gradientWeighted)),
            entry("occlusion", "f(input) - f(input with a window hidden by the baseline), averaged over the windows "
                    + "that hide each pixel; forward passes only, one per window (Zeiler and Fergus, 2014; Captum's "
                    + "Occlusion)", Occlusion.class, List.of(WINDOW, STRIDE, BASELINE, SEED),
                    s -> new Occlusion(s.get(WINDOW), s.get(STRIDE), s.get(BASELINE).withSeed(s.get(SEED))),
                    OcclusionAlgorithm::new),
            entry("rise", "The scores of the input under random smooth masks, summed weighted by each mask: the "
                    + "expected score when a pixel is shown; forward passes only, one per mask (Petsiuk et al., 2018)",
                    Rise.class, List.of(MASKS, CELLS, KEEP, BASELINE, SEED), s -> new Rise(s.get(MASKS), s.get(CELLS),
                    s.get(KEEP), s.get(BASELINE).withSeed(s.get(SEED)), s.get(SEED)), RiseAlgorithm::new),
            tunnel("smoothgrad", "The mean of the base method over noisy copies (Smilkov et al., 2017)",
                    Kind.SMOOTHGRAD),
            tunnel("smoothgrad-sq", "The mean square of the base method over noisy copies", Kind.SMOOTHGRAD_SQ),
            tunnel("vargrad", "The variance of the base method over noisy copies (Adebayo et al., 2018)",
                    Kind.VARGRAD));

    /** The method itself, a spec as {@link #parse} reads it: its help lists the names above. */
    public static final Parameter<String> METHOD = Parameter.text("method")
            .withDefault("vanilla")
            .withHelp(names() + "; a noise tunnel may name its base, e.g. smoothgrad:gradient-x-input");

    private Methods() {
    }

    /**
     * A method as listed: its spec name, what it computes, the parameters it takes, whether it is a noise tunnel
     * (and so takes a base method, {@code smoothgrad:grad-cam}), whether it weighs a layer, and whether it
     * reports a convergence delta.
     */
    public record Info(String name, String description, List<Parameter<?>> parameters, boolean noiseTunnel,
                       boolean usesLayer, boolean reportsConvergenceDelta) {
    }

    /** Every method, in the order the help lists them. */
    public static List<Info> all() {
        return ENTRIES.stream().map(e -> {
            Method example = e.build().apply(MethodSettings.defaults(), new Vanilla());
            return new Info(e.name(), e.description(), e.parameters(), e.tunnel() != null, example.usesLayer(),
                    example.reportsConvergenceDelta());
        }).toList();
    }

    /** The spec names, comma-separated, as help and errors list them. */
    public static String names() {
        return ENTRIES.stream().map(Entry::name).collect(Collectors.joining(", "));
    }

    /**
     * Parses {@code vanilla}, {@code gradient-x-input}, {@code integrated-gradients}, {@code guided-backprop},
     * {@code deconvnet}, {@code grad-cam}, {@code grad-cam++}, {@code xgrad-cam}, {@code hires-cam},
     * {@code layer-cam}, {@code eigen-cam}, {@code score-cam}, {@code ablation-cam}, {@code guided-grad-cam},
     * {@code attention-rollout}, {@code grad-rollout}, {@code occlusion}, {@code rise}, or a noise tunnel with an
     * optional base (vanilla when none is named): {@code smoothgrad}, {@code smoothgrad-sq:gradient-x-input},
     * {@code vargrad:integrated-gradients}. Each method takes the values of its parameters from {@code settings}.
     *
     * @throws SaliencyException naming {@code method} for an unknown name, listing the choices
     */
    public static Method parse(String spec, MethodSettings settings) {
        String[] parts = METHOD.parse(spec).split(":", 2);
        Entry<?> entry = named(parts[0]);
        if (parts.length > 1 && entry.tunnel() == null) {
            throw METHOD.invalid("only " + tunnelNames() + " take a base method, not " + entry.name());
        }
        if (entry.tunnel() == null) {
            return entry.build().apply(settings, null);
        }
        Entry<?> base = named(parts.length > 1 ? parts[1] : "vanilla");
        if (base.tunnel() != null) {
            throw METHOD.invalid("a noise tunnel cannot wrap another (" + base.name() + ")");
        }
        return entry.build().apply(settings, base.build().apply(settings, null));
    }

    /** The method's name as {@link #parse} reads it back (its parameters are not part of it). */
    static String spec(Method method) {
        String name = entryOf(method).name();
        return method instanceof NoiseTunnel t && !(t.base() instanceof Vanilla) ? name + ":" + t.base().spec()
                : name;
    }

    /** The method's algorithm. */
    static Algorithm algorithm(Method method) {
        return entryOf(method).algorithmOf(method);
    }

    private static Entry<?> entryOf(Method method) {
        return ENTRIES.stream().filter(e -> e.is(method)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no registry line for " + method));
    }

    private static Entry<?> named(String text) {
        String wanted = normal(text);
        return ENTRIES.stream().filter(e -> normal(e.name()).equals(wanted)).findFirst()
                .orElseThrow(() -> METHOD.invalid("unknown value '" + text + "' (expected one of: " + names() + ")"));
    }

    /** Case and {@code -}/{@code _} do not matter, and {@code grad-cam-plus-plus} is {@code grad-cam++}. */
    private static String normal(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace('_', '-').replace("++", "-plus-plus");
    }

    private static String tunnelNames() {
        List<String> names = ENTRIES.stream().filter(e -> e.tunnel() != null).map(Entry::name).toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    private static <M extends Method> Entry<M> entry(String name, String description, Class<M> type,
                                                     List<Parameter<?>> parameters,
                                                     Function<MethodSettings, M> build,
                                                     Function<M, Algorithm> algorithm) {
        return new Entry<>(name, description, type, parameters, null, (settings, base) -> build.apply(settings),
                algorithm);
    }

    private static Entry<NoiseTunnel> tunnel(String name, String description, Kind kind) {
        return new Entry<>(name, description, NoiseTunnel.class, TUNNEL, kind, (s, base) -> new NoiseTunnel(kind,
                base, s.get(SAMPLES), s.get(NOISE), s.get(SEED)), NoiseTunnelAlgorithm::new);
    }

    /**
     * One method's line. {@code build} takes the parameter values and, for a noise tunnel, its base (null
     * otherwise); {@code tunnel} is the noise tunnel's kind, null for other methods.
     */
    private record Entry<M extends Method>(String name, String description, Class<M> type,
                                           List<Parameter<?>> parameters, Kind tunnel,
                                           BiFunction<MethodSettings, Method, M> build,
                                           Function<M, Algorithm> algorithm) {
        boolean is(Method method) {
            return type.isInstance(method) && (tunnel == null || ((NoiseTunnel) method).kind() == tunnel);
        }

        Algorithm algorithmOf(Method method) {
            return algorithm.apply(type.cast(method));
        }
    }
}
