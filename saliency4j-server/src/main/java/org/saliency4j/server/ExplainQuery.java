package org.saliency4j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.saliency4j.Baseline;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.Parameter;
import org.saliency4j.Preprocessing;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.Target;
import org.saliency4j.Vocabulary;
import org.saliency4j.method.Method;
import org.saliency4j.method.MethodParameters;
import org.saliency4j.method.MethodSettings;
import org.saliency4j.method.Methods;

/**
 * The query parameters of {@code POST /v1/explain}, named as the CLI's options, and the answer the {@code Accept}
 * header picks. The request's and the rendering's parameters are the {@link Vocabulary}'s, with its defaults and
 * bounds. Costs are bounded tighter than on the command line (samples, steps, masks), and no baseline can be a
 * file: a request must not read the server's disk.
 *
 * @param passes the images the request sends through the model, as the work bound counted them
 */
record ExplainQuery(ExplainRequest request, long passes, RenderOptions render, Answer answer, boolean includeMap) {
    static final int MAX_SAMPLES = 256;
    static final int MAX_STEPS = 256;
    /** The RISE paper's largest count. */
    static final int MAX_MASKS = 4000;
    /** The vocabulary's parameters that a request may set; the rest (device, threads, ...) are the service's. */
    static final List<Parameter<?>> PARAMETERS = List.of(Vocabulary.TARGET, Vocabulary.SCORE, Vocabulary.TOPK,
            Vocabulary.PREPROCESS, Vocabulary.REDUCE, Vocabulary.NORMALIZE, Vocabulary.RENDER, Vocabulary.COLORMAP,
            Vocabulary.ALPHA, Vocabulary.VMIN, Vocabulary.VMAX, Vocabulary.MIX, Vocabulary.GEOMETRY);
    /** The service's bounds on the method parameters, tighter than the library's. */
    private static final Map<Parameter<Integer>, Integer> CAPS = Map.of(MethodParameters.SAMPLES, MAX_SAMPLES,
            MethodParameters.STEPS, MAX_STEPS, MethodParameters.MAX_STEPS, MAX_STEPS, MethodParameters.MASKS,
            MAX_MASKS);
    private static final Set<String> NAMES = Stream.of(Stream.of("include"),
                    MethodParameters.all().stream().map(Parameter::name), PARAMETERS.stream().map(Parameter::name))
            .flatMap(s -> s).collect(Collectors.toUnmodifiableSet());
    /** The baselines a request may ask for: every kind but a file. */
    private static final List<String> BASELINES = Arrays.stream(Baseline.Kind.values())
            .filter(kind -> kind != Baseline.Kind.FILE).map(kind -> kind.name().toLowerCase(Locale.ROOT)).toList();

    /** What the body of a successful answer is. */
    enum Answer {
        PNG("image/png"), JPEG("image/jpeg"), JSON("application/json"), NPY("application/x-npy");

        final String contentType;

        Answer(String contentType) {
            this.contentType = contentType;
        }

        /**
         * The answer an Accept header prefers: each served type takes the quality of the most specific range that
         * matches it ({@code image/png} over {@code image/*} over {@code *}{@code /*}); the highest quality wins,
         * ties going to the range listed first, then to PNG, JPEG, JSON, NPY; {@code q=0} excludes a type. No
         * header, or one with no readable range, means PNG; readable ranges that exclude every served type, 406.
         */
        static Answer of(String accept) {
            List<MediaRange> ranges = accept == null ? List.of() : MediaRange.parseAll(accept);
            if (ranges.isEmpty()) {
                return PNG;
            }
            Answer best = null;
            MediaRange bestRange = null;
            for (Answer answer : values()) {
                MediaRange range = MediaRange.mostSpecific(ranges, answer.contentType);
                if (range != null && range.quality() > 0 && (bestRange == null
                        || range.quality() > bestRange.quality()
                        || range.quality() == bestRange.quality() && range.position() < bestRange.position())) {
                    best = answer;
                    bestRange = range;
                }
            }
            if (best == null) {
                throw new HttpError(406, "Accept: none of " + accept
                        + " is served (image/png, image/jpeg, application/json, application/x-npy)");
            }
            return best;
        }
    }

    /**
     * @throws HttpError 400 naming the parameter for an unknown name or a bad value, 406 for an unserved Accept,
     *                   422 for a target the model does not have, 400 naming the parameters for work over
     *                   {@code maxWork} (model passes x input pixels)
     */
    static ExplainQuery parse(Map<String, String> params, String accept, SaliencyModel model, long maxWork) {
        for (String name : params.keySet()) {
            if (!NAMES.contains(name)) {
                throw new HttpError(400, "unknown parameter '" + name + "' (known: " + String.join(", ",
                        NAMES.stream().sorted().toList()) + ")");
            }
        }
        Answer answer = Answer.of(accept);
        try {
            requireNoFile(params.get(MethodParameters.BASELINE.name()));
            Method method = Methods.parse(read(params, Methods.METHOD), MethodSettings.parse(params::get, CAPS));
            String targetText = params.get(Vocabulary.TARGET.name());
            if (targetText != null && Target.parseAll(targetText).size() > 1) {
                throw new HttpError(400, "target: one per request (top1, rankK, a class index or name), got '"
                        + targetText + "'");
            }
            Target target = Vocabulary.TARGET.parseOrDefault(targetText);
            target.validate(model.labels());
            // The model's own preprocessing, as on the command line, unless the query changes its mode.
            Preprocessing preprocessing = model.preprocessing();
            if (params.containsKey(Vocabulary.PREPROCESS.name())) {
                preprocessing = preprocessing.withMode(read(params, Vocabulary.PREPROCESS));
            }
            // At least the default allowed whatever the class count: a longer top-k lists every class.
            Parameter<Integer> topK = Vocabulary.TOPK.atMost(Math.max(Vocabulary.TOPK.defaultValue(),
                    model.info().classes()));
            ExplainRequest request = new ExplainRequest(model.withLayer(method, preprocessing.size()), target,
                    read(params, Vocabulary.SCORE), read(params, topK), preprocessing,
                    read(params, Vocabulary.REDUCE), read(params, Vocabulary.NORMALIZE));
            long passes = model.passes(request);
            requireWorkWithin(request, passes, maxWork);
            RenderOptions render = new RenderOptions(read(params, Vocabulary.RENDER), read(params, Vocabulary.COLORMAP),
                    read(params, Vocabulary.ALPHA), read(params, Vocabulary.VMIN), read(params, Vocabulary.VMAX),
                    read(params, Vocabulary.MIX), read(params, Vocabulary.GEOMETRY));
            String include = params.getOrDefault("include", "");
            if (!include.isEmpty() && !include.equals("map")) {
                throw new HttpError(400, "include: unknown value '" + include + "' (expected map)");
            }
            return new ExplainQuery(request, passes, render, answer, include.equals("map"));
        } catch (SaliencyException e) {
            throw HttpError.of(e);
        }
    }

    /**
     * {@code GET /v1/methods}: every method with the parameters it takes as this service reads them (name, type,
     * default, bounds with the service's caps, whether {@code auto} is a value, the choices where they are few,
     * help), whether it is a noise tunnel
     * (it takes a base, {@code smoothgrad:grad-cam}, any of the others), whether it weighs a layer, and whether it
     * reports a convergence delta.
     */
    static ObjectNode methods(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        ArrayNode list = root.putArray("methods");
        for (Methods.Info info : Methods.all()) {
            ObjectNode method = list.addObject().put("name", info.name()).put("description", info.description())
                    .put("noise_tunnel", info.noiseTunnel()).put("uses_layer", info.usesLayer())
                    .put("convergence_delta", info.reportsConvergenceDelta());
            ArrayNode parameters = method.putArray("parameters");
            for (Parameter<?> p : info.parameters()) {
                ObjectNode parameter = parameters.addObject().put("name", p.name());
                boolean whole = p.type() == Integer.class || p.type() == Long.class;
                boolean choice = p.type().isEnum() || p == MethodParameters.BASELINE;
                parameter.put("type", whole ? "integer" : p.type() == Double.class ? "number"
                        : choice ? "choice" : "text");
                if (p.acceptsAuto()) {
                    parameter.put("auto", true);
                }
                String text = p.defaultText().orElse(null);
                if (text == null) {
                    parameter.putNull("default");
                } else if (whole) {
                    parameter.put("default", Long.parseLong(text));
                } else if (p.type() == Double.class) {
                    parameter.put("default", Double.parseDouble(text));
                } else {
                    parameter.put("default", text);
                }
                p.bounds().ifPresent(bounds -> {
                    double max = CAPS.containsKey(p) ? Math.min(CAPS.get(p), bounds.max()) : bounds.max();
                    if (whole) {
                        parameter.put("min", (long) bounds.min());
                        if (Double.isFinite(max)) {
                            parameter.put("max", (long) max);
                        }
                    } else {
                        parameter.put("min", bounds.min()).put("max", max);
                    }
                });
                if (p == MethodParameters.BASELINE) {
                    BASELINES.forEach(parameter.putArray("choices")::add);
                } else if (!p.choices().isEmpty()) {
                    p.choices().forEach(parameter.putArray("choices")::add);
                }
                parameter.put("help", p.help());
            }
        }
        return root;
    }

    /** Refuses, before anything is queued, a request whose model passes times input pixels exceed the bound. */
    private static void requireWorkWithin(ExplainRequest request, long passes, long maxWork) {
        Method method = request.method();
        int size = request.preprocessing().size();
        long work = passes * size * size;
        if (work > maxWork) {
            Map<String, Number> cost = method.costParameters();
            String cheaper = method.cheaper();
            String values = cost.entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining());
            throw new HttpError(400, "method=" + method.spec() + values + " is " + passes
                    + " model passes of a " + size + "x" + size + " input, work " + work
                    + " (passes x pixels), over this service's bound of " + maxWork
                    + (cheaper.isEmpty() ? "" : "; " + cheaper));
        }
    }

    /** The parameter's value in the query, else its default. */
    private static <T> T read(Map<String, String> params, Parameter<T> parameter) {
        return parameter.parseOrDefault(params.get(parameter.name()));
    }

    /** A request must not read the server's disk: no baseline from a file. */
    private static void requireNoFile(String baseline) {
        if (baseline != null && MethodParameters.BASELINE.parse(baseline).kind() == Baseline.Kind.FILE) {
            throw new HttpError(400, "baseline: unknown value '" + baseline + "' (expected " + String.join(", ",
                    BASELINES) + ": a request cannot name a file)");
        }
    }
}
