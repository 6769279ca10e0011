package org.saliency4j.models;

import static org.saliency4j.models.ForwardSource.call;
import static org.saliency4j.models.ForwardSource.conv;
import static org.saliency4j.models.ForwardSource.layerNorm;
import static org.saliency4j.models.ForwardSource.linear;
import static org.saliency4j.models.ForwardSource.module;

import java.util.Map;
import org.saliency4j.Preprocessing;
import org.saliency4j.models.torch.ModuleSpec;

/**
 * torchvision's ConvNeXt-Tiny (Liu et al., 2022): a 4x4 patchify stem, blocks of a 7x7 depthwise convolution,
 * LayerNorm over channels, an inverted MLP with GELU and a learned per-channel layer scale, and LayerNorm plus a
 * strided 2x2 convolution between stages. LayerNorm eps is 1e-6; stochastic depth is off in eval mode.
 */
public record ConvNeXt(String name, int[] widths, int[] depths) implements Architecture {
    private static final int CLASSES = 1000;
    private static final double EPS = 1e-6;
    private static final double INIT_STD = 0.02;
    private static final float LAYER_SCALE = 1e-6f;

    public static final ConvNeXt TINY = new ConvNeXt("convnext_tiny", new int[]{96, 192, 384, 768},
            new int[]{3, 3, 9, 3});

    /** Stage {@code s}'s blocks: {@code features.1}, {@code features.3}, ...; downsamplings between them. */
    private static String stage(int s) {
        return "features." + (2 * s + 1);
    }

    private static String downsampling(int s) {
        return "features." + (2 * s + 2);
    }

    /** Convolutions and linear layers truncated-normal (std 0.02) with zero biases, layer scales 1e-6. */
    @Override
    public ModuleSpec spec(WeightSource weights, long seed) {
        SpecBuilder root = SpecBuilder.of(weights, seed);
        SpecBuilder features = root.child("features");
        SpecBuilder stem = features.child("0");
        stem.child("0").truncatedNormal("weight", INIT_STD, widths[0], 3, 4, 4).constant("bias", 0f, widths[0]);
        stem.child("1").layerNorm(widths[0]);
        for (int s = 0; s < widths.length; s++) {
            int dim = widths[s];
            for (int b = 0; b < depths[s]; b++) {
                SpecBuilder block = features.child(Integer.toString(2 * s + 1)).child(Integer.toString(b));
                block.constant("layer_scale", LAYER_SCALE, dim, 1, 1);
                SpecBuilder layers = block.child("block");
                layers.child("0").truncatedNormal("weight", INIT_STD, dim, 1, 7, 7).constant("bias", 0f, dim);
                layers.child("2").layerNorm(dim);
                layers.child("3").truncatedNormal("weight", INIT_STD, 4 * dim, dim).constant("bias", 0f, 4 * dim);
                layers.child("5").truncatedNormal("weight", INIT_STD, dim, 4 * dim).constant("bias", 0f, dim);
            }
            if (s < widths.length - 1) {
                SpecBuilder down = features.child(Integer.toString(2 * s + 2));
                down.child("0").layerNorm(dim);
                down.child("1").truncatedNormal("weight", INIT_STD, widths[s + 1], dim, 2, 2)
                        .constant("bias", 0f, widths[s + 1]);
            }
        }
        int last = widths[widths.length - 1];
        SpecBuilder classifier = root.child("classifier");
        classifier.child("0").layerNorm(last);
        classifier.child("2").truncatedNormal("weight", INIT_STD, CLASSES, last).constant("bias", 0f, CLASSES);
        return root.build();
    }

    @Override
    public String forward() {
        ForwardSource f = new ForwardSource();
        f.let("x", layerNorm2d(conv("x", "features.0.0", 4, 0, 1, true), "features.0.1", widths[0]));
        int last = widths.length - 1;
        for (int s = 0; s < last; s++) {
            blocks(f, stage(s) + ".", s);
            f.let("x", conv(layerNorm2d("x", downsampling(s) + ".0", widths[s]), downsampling(s) + ".1", 2, 0, 1,
                    true));
        }
        f.let("x", call(stage(last), "x"));
        // LayerNorm2d of a 1x1 map is LayerNorm of its channels: flattened first, the norm's output is not
        // mistaken for a feature map (channels last) when Grad-CAM looks for the last one.
        f.let("x", "torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)");
        f.let("x", layerNorm("x", "classifier.0", widths[last], EPS));
        return f.returning(linear("x", "classifier.2"));
    }

    /** The last stage's own forward, so that its output (after the last residual sum) is a layer. */
    @Override
    public Map<String, String> submoduleForwards() {
        ForwardSource f = new ForwardSource();
        blocks(f, "", widths.length - 1);
        return Map.of(stage(widths.length - 1), f.returning("x"));
    }

    /** Stage {@code s}'s blocks, on modules under {@code prefix} ("" from within the stage's own forward). */
    private void blocks(ForwardSource f, String prefix, int s) {
        int dim = widths[s];
        for (int b = 0; b < depths[s]; b++) {
            String block = prefix + b;
            f.let("h", conv("x", block + ".block.0", 1, 3, dim, true) + ".permute([0, 2, 3, 1])");
            f.let("h", layerNorm("h", block + ".block.2", dim, EPS));
            f.let("h", "torch.gelu(" + linear("h", block + ".block.3") + ")");
            f.let("h", linear("h", block + ".block.5") + ".permute([0, 3, 1, 2])");
            f.let("x", module(block) + ".layer_scale * h + x");
        }
    }

    /** torchvision's LayerNorm2d: LayerNorm over the channels of an (N, C, H, W) tensor. */
    private static String layerNorm2d(String x, String path, int channels) {
        return layerNorm(x + ".permute([0, 2, 3, 1])", path, channels, EPS) + ".permute([0, 3, 1, 2])";
    }

    /** torchvision's weights for ConvNeXt-Tiny: resized to 236, centre 224. */
    @Override
    public Preprocessing preprocessing() {
        return Preprocessing.torchvision().withSizes(236, 224);
    }

    /** The last stage's output ({@code features.7}), before the pooling. */
    @Override
    public String gradCamLayer() {
        return stage(widths.length - 1);
    }
}
