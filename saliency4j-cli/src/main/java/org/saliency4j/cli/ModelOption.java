package org.saliency4j.cli;

import java.nio.file.Path;
import org.saliency4j.models.BuiltinModels;
import org.saliency4j.models.weights.Pretrained;
import picocli.CommandLine.Option;

/**
 * {@code --model FILE|NAME [--weights FILE]}, the one declaration for every command that loads a model (the demo
 * by default).
 */
final class ModelOption {
    @Option(names = "--model", defaultValue = BuiltinModels.DEMO, paramLabel = "FILE|NAME",
            description = "A TorchScript classifier, or a built-in name: demo, or an architecture (torchvision's "
                    + "names: densenet121/161/169/201, resnet18/34/50/101/152, mobilenet_v3_large/small, "
                    + "efficientnet_b0, convnext_tiny, vit_b_16) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Weights for the architecture --model names: a torch.save file (.pth, zip or legacy, "
                    + "or a training checkpoint) or .safetensors, such as torchvision's published files.")
    Path weights;

    /**
     * The file: the given one; the architecture written with the weights file's values; or the built-in model of
     * that name (written once, see BuiltinModels).
     */
    Path file() {
        return weights != null ? Pretrained.resolve(model, weights) : BuiltinModels.resolve(model);
    }
}
