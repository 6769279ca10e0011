package org.saliency4j.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.saliency4j.ImageLimits;
import org.saliency4j.ModelOptions;
import org.saliency4j.Parameter;
import org.saliency4j.Preprocessing;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.Target;
import org.saliency4j.Vocabulary;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.method.Method;
import org.saliency4j.method.MethodParameters;
import org.saliency4j.method.MethodSettings;
import org.saliency4j.method.Methods;

/**
 * The explain options of a Spark job as text, by the names of the library's {@link Vocabulary}, {@link Methods} and
 * {@link MethodParameters} (the names the command line and the service read), parsed by the library's own parsers
 * with its defaults standing in for a missing value. Text travels to the executors; each parses it against the model
 * it loaded. Threads are not among them: they come from the task's CPUs.
 */
record ExplainOptions(Map<String, String> text) implements Serializable {
    /** The parameters a Spark job may set: every one the command line's explain reads, but threads. */
    static final List<Parameter<?>> PARAMETERS = Stream.concat(MethodParameters.all().stream(),
            Vocabulary.all().stream().filter(p -> p != Vocabulary.THREADS)).collect(Collectors.toUnmodifiableList());
    private static final Map<String, Parameter<?>> BY_NAME = PARAMETERS.stream()
            .collect(Collectors.toUnmodifiableMap(Parameter::name, p -> p));

    ExplainOptions {
        text = Map.copyOf(text);
    }

    /**
     * Checks every value given, as far as it can be checked without the model (the target's class and the layer
     * are checked against the model on the executors): a mistyped option fails the job before any task runs.
     *
     * @throws SaliencyException naming the parameter
     */
    ExplainOptions validated() {
        text.forEach((name, value) -> {
            Parameter<?> parameter = BY_NAME.get(name);
            if (parameter == null) {
                throw new SaliencyException(SaliencyException.Kind.OPTION, name, "unknown parameter (known: "
                        + String.join(", ", BY_NAME.keySet().stream().sorted().toList()) + ")");
            }
            parameter.parse(value);
        });
        method();
        if (text.containsKey(Vocabulary.TARGET.name())
                && Target.parseAll(text.get(Vocabulary.TARGET.name())).size() > 1) {
            throw Vocabulary.TARGET.invalid("one per row (top1, rankK, a class index or name), got '"
                    + text.get(Vocabulary.TARGET.name()) + "'");
        }
        return this;
    }

    <T> T value(Parameter<T> parameter) {
        return parameter.parseOrDefault(text.get(parameter.name()));
    }

    /** The device asked for: auto, cpu, cuda or cuda:N. */
    String device() {
        return value(Vocabulary.DEVICE);
    }

    /** The most images, noisy copies or path points through the model at once. */
    int batch() {
        return value(Vocabulary.BATCH);
    }

    /**
     * How many images go through the model together: {@code batch} when it is given (above 0); else one on the CPU
     * and the device's batch on a GPU ({@link ModelOptions#defaultBatch}). On the CPU one image at a time is the
     * faster (measured on 2 cores, demo model, without oneDNN: 4.1-4.2 ms of CPU per image one at a time, 5.6-9.2 ms
     * in passes of 16), and batching buys nothing but memory there; on a GPU a batch fills the device.
     */
    int imagesPerPass(String device) {
        if (batch() > 0) {
            return batch();
        }
        return device.equals("cpu") ? 1 : ModelOptions.defaultBatch(device);
    }

    /** How the model is loaded on {@code device}: as the command line loads it, from the same options. */
    ModelOptions modelOptions(String device) {
        return ModelOptions.defaults().withDevice(device)
                .withWarmupRuns(value(Vocabulary.WARMUP))
                .withInputSize(text.containsKey(Vocabulary.INPUT_SIZE.name()) ? value(Vocabulary.INPUT_SIZE) : 0)
                .withLimits(new ImageLimits(ImageLimits.defaults().maxBytes(), value(Vocabulary.MAX_PIXELS)));
    }

    Method method() {
        return Methods.parse(value(Methods.METHOD), MethodSettings.parse(text::get, Map.of()));
    }

    /**
     * The request against a loaded model: its own preprocessing unless the options change the mode or the sizes
     * (as the command line does), its layer made explicit and checked, the target checked against its classes.
     */
    ExplainRequest request(SaliencyModel model) {
        Preprocessing p = model.preprocessing();
        if (text.containsKey(Vocabulary.PREPROCESS.name())) {
            p = p.withMode(value(Vocabulary.PREPROCESS));
        }
        if (text.containsKey(Vocabulary.RESIZE.name()) || text.containsKey(Vocabulary.INPUT_SIZE.name())) {
            int size = text.containsKey(Vocabulary.INPUT_SIZE.name()) ? value(Vocabulary.INPUT_SIZE) : p.size();
            p = p.withSizes(text.containsKey(Vocabulary.RESIZE.name()) ? value(Vocabulary.RESIZE)
                    : Math.max(p.resize(), size), size);
        }
        Target target = value(Vocabulary.TARGET);
        target.validate(model.labels());
        return new ExplainRequest(model.withLayer(method(), p.size()), target, value(Vocabulary.SCORE),
                value(Vocabulary.TOPK), p, value(Vocabulary.REDUCE), value(Vocabulary.NORMALIZE));
    }

    RenderOptions render() {
        return new RenderOptions(value(Vocabulary.RENDER), value(Vocabulary.COLORMAP), value(Vocabulary.ALPHA),
                value(Vocabulary.VMIN), value(Vocabulary.VMAX), value(Vocabulary.MIX), value(Vocabulary.GEOMETRY));
    }
}
