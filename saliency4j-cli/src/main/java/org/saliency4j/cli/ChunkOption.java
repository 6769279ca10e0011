package org.saliency4j.cli;

import picocli.CommandLine.Option;

/** {@code --batch} as {@code explain} and {@code eval} read it: how many inputs go through the model at once. */
final class ChunkOption {
    @Option(names = "--batch", descriptionKey = "batch")
    int batch;
}
