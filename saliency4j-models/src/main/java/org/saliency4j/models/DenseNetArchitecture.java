package org.saliency4j.models;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.saliency4j.ModelCard;
import org.saliency4j.models.torch.ModuleSpec;

/** A {@link DenseNet} as an {@link Architecture}: torchvision's ImageNet classifier, weights from a file. */
record DenseNetArchitecture(DenseNet net) implements Architecture {
    /**
     * torchvision's own pattern ({@code densenet._load_state_dict}): its older files name a dense layer's modules
     * {@code norm.1}, {@code conv.2}, ... where today's say {@code norm1}, {@code conv2}.
     */
    private static final Pattern OLD_NAME = Pattern.compile(
            "^(.*denselayer\\d+\\.(?:norm|relu|conv))\\.((?:[12])\\.(?:weight|bias|running_mean|running_var))$");
    /** The last feature map before global pooling: torchvision's DenseNet Grad-CAM layer. */
    private static final String GRAD_CAM_LAYER = "features.norm5";
    /** The seed of the random values the layout is read from, never used as weights. */
    private static final long LAYOUT_SEED = 0;

    @Override
    public String name() {
        return net.name();
    }

    @Override
    public Map<String, int[]> stateDictShapes() {
        return net.spec(LAYOUT_SEED).stateDictShapes();
    }

    @Override
    public ModuleSpec spec(WeightSource weights) {
        // Until DenseNet builds its spec from a WeightSource itself: its random spec, each value replaced.
        return SpecValues.replace(net.spec(LAYOUT_SEED), weights);
    }

    @Override
    public String forward() {
        return net.forward();
    }

    @Override
    public ModelCard card() {
        return BuiltinModels.IMAGENET_CARD.withGradCamLayer(GRAD_CAM_LAYER);
    }

    @Override
    public String currentName(String name) {
        Matcher m = OLD_NAME.matcher(name);
        return m.matches() ? m.group(1) + m.group(2) : name;
    }
}
