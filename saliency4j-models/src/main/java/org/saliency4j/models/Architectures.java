package org.saliency4j.models;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.saliency4j.models.torch.ModuleSpec;
import org.saliency4j.models.torch.ScriptWriter;

/** The architectures written from Java, by torchvision's names, and how one becomes a TorchScript file. */
public final class Architectures {
    private static final List<Architecture> ALL = listed();

    private Architectures() {
    }

    private static List<Architecture> listed() {
        List<Architecture> all = new ArrayList<>(DenseNet.ALL);
        all.addAll(ResNet.ALL);
        all.addAll(MobileNetV3.ALL);
        all.add(EfficientNet.B0);
        all.add(ConvNeXt.TINY);
        all.add(VisionTransformer.B_16);
        return List.copyOf(all);
    }

    /** Every architecture, DenseNets first. */
    public static List<Architecture> all() {
        return ALL;
    }

    /** The architecture of torchvision's name ({@code resnet50}, {@code vit_b_16}; any case). */
    public static Optional<Architecture> named(String name) {
        return ALL.stream().filter(a -> a.name().equalsIgnoreCase(name)).findFirst();
    }

    /**
     * Writes {@code architecture} as TorchScript to {@code file}, with a model card: ImageNet's labels, the
     * preprocessing of torchvision's weights for it, and its default Grad-CAM layer.
     *
     * @param weights the values, or null for torchvision's random initialisation drawn from {@code seed}
     * @return the module tree written (names and shapes; its values are those written)
     */
    public static ModuleSpec write(Architecture architecture, WeightSource weights, long seed, Path file) {
        ModuleSpec spec = architecture.spec(weights, seed);
        Map<String, String> forwards = new HashMap<>(architecture.submoduleForwards());
        forwards.put("", architecture.forward());
        ScriptWriter.save(spec, architecture.name(), forwards, architecture.card(), file);
        return spec;
    }
}
