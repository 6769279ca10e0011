package org.saliency4j.cli;

import java.nio.file.Path;
import org.saliency4j.models.BuiltinModels;
import picocli.CommandLine.Option;

/** {@code --model FILE|NAME}, the one declaration for every command that loads a model (the demo by default). */
final class ModelOption {
    @Option(names = "--model", defaultValue = BuiltinModels.DEMO, paramLabel = "FILE|NAME",
            description = "A TorchScript classifier, or a built-in name: demo, densenet121/161/169/201 "
                    + "(default: ${DEFAULT-VALUE}).")
    String model;

    /** The file: the given one, or the built-in model of that name (written once, see BuiltinModels). */
    Path file() {
        return BuiltinModels.resolve(model);
    }
}
