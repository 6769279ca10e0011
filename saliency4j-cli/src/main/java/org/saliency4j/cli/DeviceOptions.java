package org.saliency4j.cli;

import org.saliency4j.explain.Engine;
import org.saliency4j.EngineSettings;
import org.saliency4j.ModelOptions;
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
}
