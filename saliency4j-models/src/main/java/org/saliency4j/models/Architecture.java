package org.saliency4j.models;

import java.util.Map;
import org.saliency4j.ModelCard;
import org.saliency4j.models.torch.ModuleSpec;

/**
 * An architecture written from Java that a weights file can fill: its state dict's layout, its module tree built
 * from a {@link WeightSource}, its forward in TorchScript, and the model card its TorchScript file carries.
 * {@link BuiltinModels#architectures()} lists them.
 */
public interface Architecture {
    /** The name commands and calls use: {@code densenet201}, ... */
    String name();

    /** Every state-dict entry's name and shape, in state-dict order (BatchNorm's counters with shape []). */
    Map<String, int[]> stateDictShapes();

    /** The module tree with each entry's values asked of {@code weights}, once each, in state-dict order. */
    ModuleSpec spec(WeightSource weights);

    /** TorchScript source of the root's {@code def forward(self, x):}. */
    String forward();

    /** What the written file says about itself: labels, preprocessing and Grad-CAM's default layer. */
    ModelCard card();

    /**
     * Today's name of an entry that older weight files name differently (torchvision renames them when loading);
     * the name itself for every other.
     */
    default String currentName(String name) {
        return name;
    }
}
