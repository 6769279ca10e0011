package org.saliency4j.models;

import static org.saliency4j.models.ForwardSource.batchNorm;
import static org.saliency4j.models.ForwardSource.call;
import static org.saliency4j.models.ForwardSource.conv;
import static org.saliency4j.models.ForwardSource.convNorm;
import static org.saliency4j.models.ForwardSource.linear;

import java.util.List;
import java.util.Map;
import org.saliency4j.models.torch.ModuleSpec;

/**
 * torchvision's MobileNetV3 (Howard et al., 2019), large and small, width 1.0: inverted residual blocks with
 * squeeze-excitation gated by a hard sigmoid, ReLU or hard swish activations, BatchNorm with eps 1e-3, and a
 * classifier of two linear layers (dropout, off in eval, between them).
 *
 * @param name     mobilenet_v3_large or mobilenet_v3_small
 * @param blocks   the inverted residual blocks, {@code features.1} onwards
 * @param lastChannels the width of the classifier's hidden layer
 */
public record MobileNetV3(String name, List<Block> blocks, int lastChannels) implements Architecture {
    private static final int CLASSES = 1000;
    private static final int STEM = 16;
    private static final double EPS = 1e-3;

    /**
     * One inverted residual block of torchvision's table.
     *
     * @param in        input channels
     * @param kernel    the depthwise convolution's kernel side
     * @param expanded  channels after the 1x1 expansion (equal to {@code in}: no expansion layer)
     * @param out       output channels
     * @param excite    whether it has squeeze-excitation
     * @param hardSwish hard swish (else ReLU) after the expansion and the depthwise convolution
     * @param stride    the depthwise convolution's stride
     */
    public record Block(int in, int kernel, int expanded, int out, boolean excite, boolean hardSwish, int stride) {
        boolean expands() {
            return expanded != in;
        }

        boolean residual() {
            return stride == 1 && in == out;
        }

        /** torchvision's {@code _make_divisible(expanded // 4, 8)}. */
        int squeezed() {
            int v = expanded / 4;
            int rounded = Math.max(8, (v + 4) / 8 * 8);
            return rounded < 0.9 * v ? rounded + 8 : rounded;
        }
    }

    public static final List<MobileNetV3> ALL = List.of(
            new MobileNetV3("mobilenet_v3_large", List.of(
                    new Block(16, 3, 16, 16, false, false, 1),
                    new Block(16, 3, 64, 24, false, false, 2),
                    new Block(24, 3, 72, 24, false, false, 1),
                    new Block(24, 5, 72, 40, true, false, 2),
                    new Block(40, 5, 120, 40, true, false, 1),
                    new Block(40, 5, 120, 40, true, false, 1),
                    new Block(40, 3, 240, 80, false, true, 2),
                    new Block(80, 3, 200, 80, false, true, 1),
                    new Block(80, 3, 184, 80, false, true, 1),
                    new Block(80, 3, 184, 80, false, true, 1),
                    new Block(80, 3, 480, 112, true, true, 1),
                    new Block(112, 3, 672, 112, true, true, 1),
                    new Block(112, 5, 672, 160, true, true, 2),
                    new Block(160, 5, 960, 160, true, true, 1),
                    new Block(160, 5, 960, 160, true, true, 1)), 1280),
            new MobileNetV3("mobilenet_v3_small", List.of(
                    new Block(16, 3, 16, 16, true, false, 2),
                    new Block(16, 3, 72, 24, false, false, 2),
                    new Block(24, 3, 88, 24, false, false, 1),
                    new Block(24, 5, 96, 40, true, true, 2),
                    new Block(40, 5, 240, 40, true, true, 1),
                    new Block(40, 5, 240, 40, true, true, 1),
                    new Block(40, 5, 120, 48, true, true, 1),
                    new Block(48, 5, 144, 48, true, true, 1),
                    new Block(48, 5, 288, 96, true, true, 2),
                    new Block(96, 5, 576, 96, true, true, 1),
                    new Block(96, 5, 576, 96, true, true, 1)), 1024));

    public MobileNetV3 {
        blocks = List.copyOf(blocks);
    }

    /** The MobileNetV3 of torchvision's name, or null. */
    public static MobileNetV3 named(String name) {
        return ALL.stream().filter(m -> m.name.equals(name)).findFirst().orElse(null);
    }

    /** The channels of the last convolution, six times the last block's output. */
    private int lastConvChannels() {
        return 6 * blocks.get(blocks.size() - 1).out();
    }

    /** Convolutions Kaiming-normal (fan out) with zero biases, BatchNorms 1 and 0, linear layers N(0, 0.01^2). */
    @Override
    public ModuleSpec spec(WeightSource weights, long seed) {
        SpecBuilder root = SpecBuilder.of(weights, seed);
        SpecBuilder features = root.child("features");
        features.child("0").convNorm(3, STEM, 3, 1);
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            SpecBuilder block = features.child(Integer.toString(i + 1)).child("block");
            int layer = 0;
            if (b.expands()) {
                block.child(Integer.toString(layer++)).convNorm(b.in(), b.expanded(), 1, 1);
            }
            block.child(Integer.toString(layer++)).convNorm(b.expanded(), b.expanded(), b.kernel(), b.expanded());
            if (b.excite()) {
                SpecBuilder se = block.child(Integer.toString(layer++));
                se.child("fc1").kaimingNormalFanOut("weight", b.squeezed(), b.expanded(), 1, 1)
                        .constant("bias", 0f, b.squeezed());
                se.child("fc2").kaimingNormalFanOut("weight", b.expanded(), b.squeezed(), 1, 1)
                        .constant("bias", 0f, b.expanded());
            }
            block.child(Integer.toString(layer)).convNorm(b.expanded(), b.out(), 1, 1);
        }
        features.child(Integer.toString(blocks.size() + 1)).convNorm(blocks.get(blocks.size() - 1).out(),
                lastConvChannels(), 1, 1);
        SpecBuilder classifier = root.child("classifier");
        classifier.child("0").normal("weight", 0.01, lastChannels, lastConvChannels())
                .constant("bias", 0f, lastChannels);
        classifier.child("3").normal("weight", 0.01, CLASSES, lastChannels).constant("bias", 0f, CLASSES);
        return root.build();
    }


    @Override
    public String forward() {
        ForwardSource f = new ForwardSource();
        f.let("x", "torch.hardswish(" + convNorm("x", "features.0", 2, 1, 1, EPS) + ")");
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            String block = "features." + (i + 1) + ".block.";
            String activation = b.hardSwish() ? "torch.hardswish" : "torch.relu";
            int layer = 0;
            String h = "x";
            if (b.expands()) {
                f.let("h", activation + "(" + convNorm("x", block + layer++, 1, 0, 1, EPS) + ")");
                h = "h";
            }
            f.let("h", activation + "(" + convNorm(h, block + layer++, b.stride(), (b.kernel() - 1) / 2,
                    b.expanded(), EPS) + ")");
            if (b.excite()) {
                String se = block + layer++;
                f.let("s", "torch.adaptive_avg_pool2d(h, [1, 1])");
                f.let("s", "torch.relu(" + conv("s", se + ".fc1", 1, 0, 1, true) + ")");
                f.let("h", "h * torch.hardsigmoid(" + conv("s", se + ".fc2", 1, 0, 1, true) + ")");
            }
            String projected = convNorm("h", block + layer, 1, 0, 1, EPS);
            f.let("x", b.residual() ? projected + " + x" : projected);
        }
        f.let("x", call(lastConv(), "x"));
        f.let("x", "torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)");
        f.let("x", "torch.hardswish(" + linear("x", "classifier.0") + ")");
        return f.returning(linear("x", "classifier.3"));
    }

    /** The last convolution ({@code features.16} in the large one), a module of its own as in torchvision. */
    private String lastConv() {
        return "features." + (blocks.size() + 1);
    }

    /** The last convolution's own forward: convolution, BatchNorm, hard swish. */
    @Override
    public Map<String, String> submoduleForwards() {
        return Map.of(lastConv(), new ForwardSource().returning("torch.hardswish(" + convNorm("x", "", 1, 0, 1, EPS)
                + ")"));
    }


    /** The last convolution's output, after its hard swish: the last feature map before the pooling. */
    @Override
    public String gradCamLayer() {
        return lastConv();
    }
}
