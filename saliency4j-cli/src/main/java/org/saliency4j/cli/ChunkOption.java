package org.saliency4j.cli;

import picocli.CommandLine.Option;

/** {@code --batch} as {@code explain} and {@code eval} read it: how many inputs go through the model at once. */
final class ChunkOption {
    @Option(names = "--batch", defaultValue = "16",
            description = "Most inputs (noisy copies, path points, targets) through the model at once; bounds memory "
                    + "(default: ${DEFAULT-VALUE}).")
    int batch;
}
