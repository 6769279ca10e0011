package org.saliency4j.models;

import static org.saliency4j.models.ForwardSource.batchNorm;
import static org.saliency4j.models.ForwardSource.call;
import static org.saliency4j.models.ForwardSource.conv;
import static org.saliency4j.models.ForwardSource.convNorm;
import static org.saliency4j.models.ForwardSource.linear;

import java.util.List;
import java.util.Map;
import org.saliency4j.Preprocessing;
import org.saliency4j.models.torch.ModuleSpec;

/**
 * torchvision's EfficientNet-B0 (Tan and Le, 2019): MBConv blocks (1x1 expansion, depthwise convolution,
 * squeeze-excitation gated by a sigmoid, 1x1 projection) with SiLU activations. Stochastic depth and dropout are
 * identities in eval mode and are left out. BatchNorm eps is PyTorch's default 1e-5 here: torchvision gives 1e-3
 * only to B5 to B7 and the V2 models.
 */
public record EfficientNet(String name) implements Architecture {
    private static final int CLASSES = 1000;
    private static final int STEM = 32;
    private static final int LAST = 1280;
    private static final double EPS = 1e-5;

    /** One stage of torchvision's table for B0 (width and depth 1.0). */
    private record Stage(int expandRatio, int kernel, int stride, int in, int out, int layers) {
    }

    private static final List<Stage> B0_STAGES = List.of(
            new Stage(1, 3, 1, 32, 16, 1),
            new Stage(6, 3, 2, 16, 24, 2),
            new Stage(6, 5, 2, 24, 40, 2),
            new Stage(6, 3, 2, 40, 80, 3),
            new Stage(6, 5, 1, 80, 112, 3),
            new Stage(6, 5, 2, 112, 192, 4),
            new Stage(6, 3, 1, 192, 320, 1));

    public static final EfficientNet B0 = new EfficientNet("efficientnet_b0");
    /** The 1x1 convolution to 1280 channels after the stages, a module of its own as in torchvision. */
    private static final String LAST_CONV = "features." + (B0_STAGES.size() + 1);

    /** One MBConv block: its stage's first takes the stage's input and stride, the others repeat the output. */
    private record Block(Stage stage, int index) {
        int in() {
            return index == 0 ? stage.in() : stage.out();
        }

        int stride() {
            return index == 0 ? stage.stride() : 1;
        }

        /** The channels are multiples of 8 in B0 already: torchvision's rounding leaves them. */
        int expanded() {
            return in() * stage.expandRatio();
        }

        int squeezed() {
            return Math.max(1, in() / 4);
        }

        boolean residual() {
            return stride() == 1 && in() == stage.out();
        }
    }

    /** Convolutions Kaiming-normal (fan out), BatchNorms 1 and 0, the classifier U(-1/sqrt(1000), 1/sqrt(1000)). */
    @Override
    public ModuleSpec spec(WeightSource weights, long seed) {
        SpecBuilder root = SpecBuilder.of(weights, seed);
        SpecBuilder features = root.child("features");
        features.child("0").convNorm(3, STEM, 3, 1);
        for (int s = 0; s < B0_STAGES.size(); s++) {
            Stage stage = B0_STAGES.get(s);
            for (int l = 0; l < stage.layers(); l++) {
                Block b = new Block(stage, l);
                SpecBuilder block = features.child(Integer.toString(s + 1)).child(Integer.toString(l)).child("block");
                int layer = 0;
                if (b.expanded() != b.in()) {
                    block.child(Integer.toString(layer++)).convNorm(b.in(), b.expanded(), 1, 1);
                }
                block.child(Integer.toString(layer++)).convNorm(b.expanded(), b.expanded(), stage.kernel(),
                        b.expanded());
                SpecBuilder se = block.child(Integer.toString(layer++));
                se.child("fc1").kaimingNormalFanOut("weight", b.squeezed(), b.expanded(), 1, 1)
                        .constant("bias", 0f, b.squeezed());
                se.child("fc2").kaimingNormalFanOut("weight", b.expanded(), b.squeezed(), 1, 1)
                        .constant("bias", 0f, b.expanded());
                block.child(Integer.toString(layer)).convNorm(b.expanded(), stage.out(), 1, 1);
            }
        }
        int lastStage = B0_STAGES.size();
        features.child(Integer.toString(lastStage + 1)).convNorm(B0_STAGES.get(lastStage - 1).out(), LAST, 1, 1);
        root.child("classifier").child("1").uniform("weight", 1 / Math.sqrt(CLASSES), CLASSES, LAST)
                .constant("bias", 0f, CLASSES);
        return root.build();
    }


    @Override
    public String forward() {
        ForwardSource f = new ForwardSource();
        f.let("x", "torch.silu(" + convNorm("x", "features.0", 2, 1, 1, EPS) + ")");
        for (int s = 0; s < B0_STAGES.size(); s++) {
            Stage stage = B0_STAGES.get(s);
            for (int l = 0; l < stage.layers(); l++) {
                Block b = new Block(stage, l);
                String block = "features." + (s + 1) + "." + l + ".block.";
                int layer = 0;
                String h = "x";
                if (b.expanded() != b.in()) {
                    f.let("h", "torch.silu(" + convNorm("x", block + layer++, 1, 0, 1, EPS) + ")");
                    h = "h";
                }
                f.let("h", "torch.silu(" + convNorm(h, block + layer++, b.stride(), (stage.kernel() - 1) / 2,
                        b.expanded(), EPS) + ")");
                String se = block + layer++;
                f.let("s", "torch.adaptive_avg_pool2d(h, [1, 1])");
                f.let("s", "torch.silu(" + conv("s", se + ".fc1", 1, 0, 1, true) + ")");
                f.let("h", "h * torch.sigmoid(" + conv("s", se + ".fc2", 1, 0, 1, true) + ")");
                String projected = convNorm("h", block + layer, 1, 0, 1, EPS);
                f.let("x", b.residual() ? projected + " + x" : projected);
            }
        }
        f.let("x", call(LAST_CONV, "x"));
        f.let("x", "torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)");
        return f.returning(linear("x", "classifier.1"));
    }

    /** The last convolution's own forward: convolution, BatchNorm, SiLU. */
    @Override
    public Map<String, String> submoduleForwards() {
        return Map.of(LAST_CONV, new ForwardSource().returning("torch.silu(" + convNorm("x", "", 1, 0, 1, EPS) + ")"));
    }


    /** torchvision's weights for B0: resized to 256 (bicubic in torchvision), centre 224. */
    @Override
    public Preprocessing preprocessing() {
        return Preprocessing.torchvision().withSizes(256, 224);
    }

    /** The last convolution's output ({@code features.8}), after its SiLU: the last feature map. */
    @Override
    public String gradCamLayer() {
        return LAST_CONV;
    }
}
