package org.saliency4j.models;

import org.saliency4j.models.torch.ModuleSpec;
import java.util.List;
import java.util.Locale;
import java.util.Random;

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
public record DenseNet(String name, int growth, int[] blocks, int initialFeatures) {
    private static final int BOTTLENECK = 4;
    private static final int CLASSES = 1000;

    public static final List<DenseNet> ALL = List.of(
            new DenseNet("densenet121", 32, new int[]{6, 12, 24, 16}, 64),
            new DenseNet("densenet161", 48, new int[]{6, 12, 36, 24}, 96),
            new DenseNet("densenet169", 32, new int[]{6, 12, 32, 32}, 64),
            new DenseNet("densenet201", 32, new int[]{6, 12, 48, 32}, 64));

    public static DenseNet named(String name) {
        return ALL.stream().filter(d -> d.name.equals(name.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
    }

    /** Random weights drawn as torchvision initialises them. */
    public ModuleSpec spec(long seed) {
        SpecBuilder root = new SpecBuilder(new Random(seed));
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
    public String forward() {
        StringBuilder s = new StringBuilder("def forward(self, x):\n");
        String f = "self.features";
        s.append("    x = torch.conv2d(x, ").append(f).append(".conv0.weight, None, [2, 2], [3, 3])\n");
        s.append("    x = torch.relu(").append(batchNorm("x", f + ".norm0")).append(")\n");
        s.append("    x = torch.max_pool2d(x, [3, 3], [2, 2], [1, 1])\n");
        for (int b = 0; b < blocks.length; b++) {
            s.append("    f = [x]\n");
            for (int l = 0; l < blocks[b]; l++) {
                String layer = f + ".denseblock" + (b + 1) + ".denselayer" + (l + 1);
                s.append("    h = torch.conv2d(torch.relu(").append(batchNorm("torch.cat(f, 1)", layer + ".norm1"))
                        .append("), ").append(layer).append(".conv1.weight)\n");
                s.append("    f.append(torch.conv2d(torch.relu(").append(batchNorm("h", layer + ".norm2"))
                        .append("), ").append(layer).append(".conv2.weight, None, [1, 1], [1, 1]))\n");
            }
            s.append("    x = torch.cat(f, 1)\n");
            if (b < blocks.length - 1) {
                String t = f + ".transition" + (b + 1);
                s.append("    x = torch.conv2d(torch.relu(").append(batchNorm("x", t + ".norm")).append("), ")
                        .append(t).append(".conv.weight)\n");
                s.append("    x = torch.avg_pool2d(x, [2, 2], [2, 2])\n");
            }
        }
        s.append("    x = torch.relu(").append(batchNorm("x", f + ".norm5")).append(")\n");
        s.append("    x = torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)\n");
        s.append("    return torch.linear(x, self.classifier.weight, self.classifier.bias)\n");
        return s.toString();
    }

    private static String batchNorm(String input, String module) {
        return "torch.batch_norm(" + input + ", " + module + ".weight, " + module + ".bias, " + module
                + ".running_mean, " + module + ".running_var, self.training, 0.1, 1e-05, False)";
    }
}
