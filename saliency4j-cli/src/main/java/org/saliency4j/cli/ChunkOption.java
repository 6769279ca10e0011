package org.saliency4j.cli;

import org.saliency4j.ModelOptions;
import picocli.CommandLine.Option;

/**
 * {@code --batch} as {@code explain} and {@code eval} read it: how many inputs go through the model at once, the
 * model's {@link ModelOptions#batch()}.
 */
final class ChunkOption {
    @Option(names = "--batch", descriptionKey = "batch")
    int batch;

    ModelOptions apply(ModelOptions options) {
        return options.withBatch(batch);
    }
}
