package org.saliency4j.cli;

import org.saliency4j.ModelOptions;
import picocli.CommandLine.Option;

/** Where a command runs the model: the device and libtorch's thread count, shared by the commands that load one. */
final class DeviceOptions {
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", defaultValue = "0",
            description = "libtorch intra-op threads, at most 4 per processor; 0: one on machines of up to 2 cores "
                    + "(measured faster), else all.")
    int threads;

    ModelOptions apply(ModelOptions options) {
        return options.withDevice(device).withThreads(threads);
    }
}
