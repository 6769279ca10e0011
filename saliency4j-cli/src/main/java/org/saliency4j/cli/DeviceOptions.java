package org.saliency4j.cli;

import org.saliency4j.ModelOptions;
import picocli.CommandLine.Option;

/** Where a command runs the model: the device and libtorch's thread count, shared by the commands that load one. */
final class DeviceOptions {
    @Option(names = "--device", descriptionKey = "device")
    String device;

    @Option(names = "--threads", descriptionKey = "threads")
    int threads;

    ModelOptions apply(ModelOptions options) {
        return options.withDevice(device).withThreads(threads);
    }
}
