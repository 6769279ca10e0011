package org.saliency4j.models;

import static org.saliency4j.models.ForwardSource.batchNorm;
import static org.saliency4j.models.ForwardSource.conv;
import static org.saliency4j.models.ForwardSource.linear;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.saliency4j.models.torch.ModuleSpec;

/**
 * torchvision's DenseNet-BC (Huang et al., 2017) as a module tree with torchvision's state-dict names and shapes,
 * its initialisation scheme, and a forward written out in TorchScript: copy torchvision's weights in and the
 * outputs are torchvision's. Memory-efficient checkpointing and dropout (off in torchvision's defaults) are left out.
 *
 * @param name            densenet121, densenet161, densenet169 or densenet201
 * @param growth          channels each layer adds
 * @param blocks          layers per dense block
 * @param initialFeatures channels of the first convolution
 */
public record DenseNet(String name, int growth, int[] blocks, int initialFeatures) implements Architecture {
    private static final Pattern OLD_NAME = Pattern.compile(
            "^(.*denselayer\\d+\\.(?:norm|relu|conv))\\.((?:[12])\\.(?:weight|bias|running_mean|running_var))$");
    private static final int BOTTLENECK = 4;
    private static final int CLASSES = 1000;
    private static final double EPS = 1e-5;

    public static final List<DenseNet> ALL = List.of(
            new DenseNet("densenet121", 32, new int[]{6, 12, 24, 16}, 64),
            new DenseNet("densenet161", 48, new int[]{6, 12, 36, 24}, 96),
            new DenseNet("densenet169", 32, new int[]{6, 12, 32, 32}, 64),
            new DenseNet("densenet201", 32, new int[]{6, 12, 48, 32}, 64));

    public static DenseNet named(String name) {
        return ALL.stream().filter(d -> d.name.equals(name.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
    }

    /** Convolutions Kaiming-normal (fan in), BatchNorms 1 and 0, the classifier uniform with a zero bias. */
    @Override
    public ModuleSpec spec(WeightSource weights, long seed) {
        SpecBuilder root = SpecBuilder.of(weights, seed);
        SpecBuilder features = root.child("features");
        features.child("conv0").kaimingNormal("weight", initialFeatures, 3, 7, 7);
        features.child("norm0").batchNorm(initialFeatures);
        int channels = initialFeatures;
        for (int b = 0; b < blocks.length; b++) {
            SpecBuilder block = features.child("denseblock" + (b + 1));
            for (int l = 0; l < blocks[b]; l++) {
                int in = channels + l * growth;
                SpecBuilder layer = block.child("denselayer" + (l + 1));
                layer.child("norm1").batchNorm(in);
                layer.child("conv1").kaimingNormal("weight", BOTTLENECK * growth, in, 1, 1);
                layer.child("norm2").batchNorm(BOTTLENECK * growth);
                layer.child("conv2").kaimingNormal("weight", growth, BOTTLENECK * growth, 3, 3);
            }
            channels += blocks[b] * growth;
            if (b < blocks.length - 1) {
                SpecBuilder transition = features.child("transition" + (b + 1));
                transition.child("norm").batchNorm(channels);
                transition.child("conv").kaimingNormal("weight", channels / 2, channels, 1, 1);
                channels /= 2;
            }
        }
        features.child("norm5").batchNorm(channels);
        root.child("classifier").uniformFanIn("weight", channels, CLASSES, channels).constant("bias", 0f, CLASSES);
        return root.build();
    }

    /** torchvision's forward, one line per operation (TorchScript cannot take submodules as arguments). */
    @Override
    public String forward() {
        ForwardSource f = new ForwardSource();
        f.let("x", conv("x", "features.conv0", 2, 3, 1, false));
        f.let("x", "torch.relu(" + batchNorm("x", "features.norm0", EPS) + ")");
        f.let("x", "torch.max_pool2d(x, [3, 3], [2, 2], [1, 1])");
        for (int b = 0; b < blocks.length; b++) {
            f.let("f", "[x]");
            for (int l = 0; l < blocks[b]; l++) {
                String layer = "features.denseblock" + (b + 1) + ".denselayer" + (l + 1);
                f.let("h", conv("torch.relu(" + batchNorm("torch.cat(f, 1)", layer + ".norm1", EPS) + ")",
                        layer + ".conv1"));
                f.line("f.append(" + conv("torch.relu(" + batchNorm("h", layer + ".norm2", EPS) + ")",
                        layer + ".conv2", 1, 1, 1, false) + ")");
            }
            f.let("x", "torch.cat(f, 1)");
            if (b < blocks.length - 1) {
                String t = "features.transition" + (b + 1);
                f.let("x", conv("torch.relu(" + batchNorm("x", t + ".norm", EPS) + ")", t + ".conv"));
                f.let("x", "torch.avg_pool2d(x, [2, 2], [2, 2])");
            }
        }
        f.let("x", "torch.relu(" + batchNorm("x", "features.norm5", EPS) + ")");
        f.let("x", "torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)");
        return f.returning(linear("x", "classifier"));
    }

    /** The last BatchNorm, before the final ReLU and the pooling. */
    @Override
    public String gradCamLayer() {
        return "features.norm5";
    }

    /**
     * torchvision's own renaming ({@code densenet._load_state_dict}): its older files name a dense layer's modules
     * {@code norm.1}, {@code conv.2}, ... where today's say {@code norm1}, {@code conv2}.
     */
    @Override
    public String currentName(String name) {
        Matcher m = OLD_NAME.matcher(name);
        return m.matches() ? m.group(1) + m.group(2) : name;
    }
}
