package org.saliency4j.cli;

import java.nio.file.Path;
import org.saliency4j.ModelOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.method.Method;
import org.saliency4j.models.BuiltinModels;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the evaluations on the demo task share: the model, the method, the seed, the device, JSON output. */
final class DemoTaskOptions {
    /** A classifier of the demo task: the embedded demo model by default. */
    @Mixin
    ModelOption model;

    @Mixin
    MethodOptions methodOptions;

    @Mixin
    ChunkOption chunk;

    @Option(names = "--noise-samples", descriptionKey = "samples")
    int noiseSamples;

    @Option(names = "--seed", defaultValue = "7", description = "Seeds the images, the noise and any new weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DeviceOptions deviceOptions;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    VerboseOption verbose;

    Method method() {
        return methodOptions.method(noiseSamples, seed);
    }

    Path modelFile() {
        return model.file();
    }

    ModelOptions modelOptions() {
        return chunk.apply(deviceOptions.apply(ModelOptions.defaults())).withName(model.model);
    }

    static void requireSamples(int samples) {
        if (samples < 1) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "--samples", "must be at least 1");
        }
    }
}
