package org.saliency4j.models;

import static org.saliency4j.models.ForwardSource.batchNorm;
import static org.saliency4j.models.ForwardSource.call;
import static org.saliency4j.models.ForwardSource.conv;
import static org.saliency4j.models.ForwardSource.linear;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.saliency4j.models.torch.ModuleSpec;

/**
 * torchvision's ResNet (He et al., 2016; the v1.5 variant, which strides the 3x3 convolution of a bottleneck):
 * basic blocks for ResNet-18 and 34, bottlenecks for 50, 101 and 152.
 *
 * @param name       resnet18, resnet34, resnet50, resnet101 or resnet152
 * @param bottleneck whether blocks are bottlenecks (1x1, 3x3, 1x1 with four times the width out)
 * @param blocks     blocks per stage
 */
public record ResNet(String name, boolean bottleneck, int[] blocks) implements Architecture {
    private static final int CLASSES = 1000;
    private static final double EPS = 1e-5;

    public static final List<ResNet> ALL = List.of(
            new ResNet("resnet18", false, new int[]{2, 2, 2, 2}),
            new ResNet("resnet34", false, new int[]{3, 4, 6, 3}),
            new ResNet("resnet50", true, new int[]{3, 4, 6, 3}),
            new ResNet("resnet101", true, new int[]{3, 4, 23, 3}),
            new ResNet("resnet152", true, new int[]{3, 8, 36, 3}));

    /** The ResNet of torchvision's name, or null. */
    public static ResNet named(String name) {
        return ALL.stream().filter(r -> r.name.equals(name)).findFirst().orElse(null);
    }

    private int expansion() {
        return bottleneck ? 4 : 1;
    }

    /** Convolutions Kaiming-normal (fan out), BatchNorms 1 and 0, the classifier PyTorch's default uniform. */
    @Override
    public ModuleSpec spec(WeightSource weights, long seed) {
        SpecBuilder root = SpecBuilder.of(weights, seed);
        root.child("conv1").kaimingNormalFanOut("weight", 64, 3, 7, 7);
        root.child("bn1").batchNorm(64);
        int in = 64;
        for (int s = 0; s < blocks.length; s++) {
            int width = 64 << s;
            int out = width * expansion();
            SpecBuilder stage = root.child("layer" + (s + 1));
            for (int b = 0; b < blocks[s]; b++) {
                SpecBuilder block = stage.child(Integer.toString(b));
                if (bottleneck) {
                    block.child("conv1").kaimingNormalFanOut("weight", width, in, 1, 1);
                    block.child("bn1").batchNorm(width);
                    block.child("conv2").kaimingNormalFanOut("weight", width, width, 3, 3);
                    block.child("bn2").batchNorm(width);
                    block.child("conv3").kaimingNormalFanOut("weight", out, width, 1, 1);
                    block.child("bn3").batchNorm(out);
                } else {
                    block.child("conv1").kaimingNormalFanOut("weight", width, in, 3, 3);
                    block.child("bn1").batchNorm(width);
                    block.child("conv2").kaimingNormalFanOut("weight", width, width, 3, 3);
                    block.child("bn2").batchNorm(width);
                }
                if (b == 0 && (s > 0 || in != out)) {
                    SpecBuilder downsample = block.child("downsample");
                    downsample.child("0").kaimingNormalFanOut("weight", out, in, 1, 1);
                    downsample.child("1").batchNorm(out);
                }
                in = out;
            }
        }
        root.child("fc").uniformFanIn("weight", in, CLASSES, in).uniformFanIn("bias", in, CLASSES);
        return root.build();
    }

    /** The stem, the four stages (each its own module forward), the pooling and the classifier. */
    @Override
    public String forward() {
        ForwardSource f = new ForwardSource();
        f.let("x", "torch.relu(" + batchNorm(conv("x", "conv1", 2, 3, 1, false), "bn1", EPS) + ")");
        f.let("x", "torch.max_pool2d(x, [3, 3], [2, 2], [1, 1])");
        for (int s = 0; s < blocks.length; s++) {
            f.let("x", call("layer" + (s + 1), "x"));
        }
        f.let("x", "torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)");
        return f.returning(linear("x", "fc"));
    }

    /** Each stage's blocks, so that {@code layer1} to {@code layer4} are layers as in torchvision's module tree. */
    @Override
    public Map<String, String> submoduleForwards() {
        Map<String, String> forwards = new LinkedHashMap<>();
        int in = 64;
        for (int s = 0; s < blocks.length; s++) {
            int out = (64 << s) * expansion();
            ForwardSource f = new ForwardSource();
            for (int b = 0; b < blocks[s]; b++) {
                String block = Integer.toString(b);
                int stride = b == 0 && s > 0 ? 2 : 1;
                if (bottleneck) {
                    f.let("h", "torch.relu(" + batchNorm(conv("x", block + ".conv1"), block + ".bn1", EPS) + ")");
                    f.let("h", "torch.relu(" + batchNorm(conv("h", block + ".conv2", stride, 1, 1, false),
                            block + ".bn2", EPS) + ")");
                    f.let("h", batchNorm(conv("h", block + ".conv3"), block + ".bn3", EPS));
                } else {
                    f.let("h", "torch.relu(" + batchNorm(conv("x", block + ".conv1", stride, 1, 1, false),
                            block + ".bn1", EPS) + ")");
                    f.let("h", batchNorm(conv("h", block + ".conv2", 1, 1, 1, false), block + ".bn2", EPS));
                }
                if (b == 0 && (s > 0 || in != out)) {
                    f.let("x", batchNorm(conv("x", block + ".downsample.0", stride, 0, 1, false),
                            block + ".downsample.1", EPS));
                }
                f.let("x", "torch.relu(h + x)");
                in = out;
            }
            forwards.put("layer" + (s + 1), f.returning("x"));
        }
        return forwards;
    }

    /** The last stage's output, after its last residual sum and ReLU: torchvision users' usual choice. */
    @Override
    public String gradCamLayer() {
        return "layer4";
    }
}
