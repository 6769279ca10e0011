package org.saliency4j.cli;

import org.saliency4j.EngineSettings;
import org.saliency4j.ModelOptions;
import org.saliency4j.Parallelism;
import org.saliency4j.explain.Engine;
import picocli.CommandLine.Option;

/** Where a command runs the model: the device and libtorch's thread count, shared by the commands that load one. */
final class DeviceOptions {
    @Option(names = "--device", descriptionKey = "device")
    String device;

    @Option(names = "--threads", descriptionKey = "threads")
    int threads;

    /**
     * Configures the engine from these options (the recommended settings with {@code --threads}: process-wide,
     * before any model is loaded) and returns {@code options} on {@code --device}.
     */
    ModelOptions apply(ModelOptions options) {
        Engine.configure(EngineSettings.recommended().withThreads(threads));
        return options.withDevice(device);
    }

    /**
     * Configures the engine for {@code plan}'s workers (their intra-op threads, and the pass threads of one worker
     * whose images take {@code passesPerImage} passes) and returns {@code options} on {@code --device}.
     */
    ModelOptions apply(ModelOptions options, Parallelism plan, long passesPerImage) {
        Engine.configure(plan.engineSettings(EngineSettings.recommended(), passesPerImage));
        return options.withDevice(device);
    }

    /** The workers and threads a run over many images uses: these options' and {@code workers}, else the policy's. */
    Parallelism plan(int workers) {
        return Parallelism.resolve(workers, threads);
    }
}
