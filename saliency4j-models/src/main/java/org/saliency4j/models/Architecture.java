package org.saliency4j.models;

import java.util.Map;
import org.saliency4j.ClassLabels;
import org.saliency4j.ModelCard;
import org.saliency4j.Preprocessing;
import org.saliency4j.models.torch.ModuleSpec;

/**
 * An image classifier written from Java with torchvision's state-dict names, order and shapes, and a forward that
 * computes torchvision's eval-mode outputs: copy torchvision's weights in and the outputs are torchvision's.
 */
public interface Architecture {
    /** torchvision's name for it: {@code resnet50}, {@code vit_b_16}, ... */
    String name();

    /**
     * The module tree with its values.
     *
     * @param weights where the values come from, asked once per state-dict entry in state-dict order; null for
     *                torchvision's random initialisation, drawn from {@code seed}
     */
    ModuleSpec spec(WeightSource weights, long seed);

    /** The module tree with torchvision's random initialisation, drawn from {@code seed}. */
    default ModuleSpec spec(long seed) {
        return spec(null, seed);
    }

    /** The module tree with values from {@code weights}. */
    default ModuleSpec spec(WeightSource weights) {
        return spec(weights, 0);
    }

    /** The TorchScript source of the root's {@code def forward(self, x):}. */
    String forward();

    /**
     * The forwards of submodules, by module path, that the root's forward calls ({@code self.layer4(x)}): each
     * one's output is then a layer of that name for Grad-CAM, as in a model scripted by PyTorch. None by default.
     */
    default Map<String, String> submoduleForwards() {
        return Map.of();
    }

    /** The preprocessing torchvision's weights for it were trained with (its transforms' resize and crop). */
    default Preprocessing preprocessing() {
        return Preprocessing.torchvision();
    }

    /** The layer Grad-CAM weighs by default, a module path: the last feature map before global pooling. */
    String gradCamLayer();

    /** Every state-dict entry's name and shape, in order: what a weights file must hold, checked before writing. */
    default Map<String, int[]> stateDictShapes() {
        return spec(0).stateDictShapes();
    }

    /**
     * The state-dict name today's torchvision uses for a name an older weights file may use; the name itself
     * where nothing was renamed (every architecture but the DenseNets).
     */
    default String currentName(String name) {
        return name;
    }

    /** What a file of it says about itself: ImageNet's labels, its preprocessing and its Grad-CAM layer. */
    default ModelCard card() {
        return new ModelCard("imagenet", ClassLabels.imagenet().names(), preprocessing(), gradCamLayer());
    }
}
