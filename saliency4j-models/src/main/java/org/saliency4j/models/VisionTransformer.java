package org.saliency4j.models;

import static org.saliency4j.models.ForwardSource.call;
import static org.saliency4j.models.ForwardSource.layerNorm;
import static org.saliency4j.models.ForwardSource.linear;
import static org.saliency4j.models.ForwardSource.module;

import java.util.LinkedHashMap;
import java.util.Map;
import org.saliency4j.Preprocessing;
import org.saliency4j.models.torch.ModuleSpec;

/**
 * torchvision's ViT-B/16 (Dosovitskiy et al., 2021): 16x16 patches projected by a strided convolution, a class
 * token and learned positional embeddings, pre-norm encoder blocks of multi-head self-attention (torch.nn's
 * MultiheadAttention: one packed in-projection, an out-projection) and a GELU MLP, LayerNorm eps 1e-6, and a linear
 * head on the class token. Dropout is off in eval mode. The positional embedding fixes the input to 224 x 224.
 * <p>
 * The attention is written out (in-projection, {@code softmax(q k^T / sqrt(d))}, times v, out-projection) rather
 * than computed by torch.nn's fused kernel with {@code need_weights=False}, and each block's probabilities pass
 * through an identity module, {@code encoder.layers.encoder_layer_N.self_attention.probabilities}, which holds no
 * parameter: a layer of shape (batch, heads, tokens, tokens) that attention rollout taps by name, with torchvision's
 * state dict unchanged.
 */
public record VisionTransformer(String name, int patch, int layers, int heads, int hidden, int mlp)
        implements Architecture {
    private static final int CLASSES = 1000;
    private static final int SIDE = 224;
    private static final double EPS = 1e-6;

    public static final VisionTransformer B_16 = new VisionTransformer("vit_b_16", 16, 12, 12, 768, 3072);

    /** The patch grid's side: 14 for 16-pixel patches of a 224-pixel image. */
    public int grid() {
        return SIDE / patch;
    }

    private int tokens() {
        return grid() * grid() + 1;
    }

    private static String layer(int i) {
        return "encoder.layers.encoder_layer_" + i;
    }

    /** Block {@code i}'s attention probabilities, the output of a parameter-free identity module. */
    public static String attentionProbabilities(int i) {
        return layer(i) + ".self_attention.probabilities";
    }

    /**
     * torchvision's initialisation: the patch projection truncated-normal (std sqrt(1 / fan_in)), the class token
     * 0, positional embeddings N(0, 0.02^2), attention projections Xavier-uniform (the in-projection) and PyTorch's
     * default (the out-projection) with zero biases, MLP layers Xavier-uniform with N(0, 1e-12) biases, and the
     * head zero, so that a freshly built ViT's logits are all 0 until weights are loaded.
     */
    @Override
    public ModuleSpec spec(WeightSource weights, long seed) {
        SpecBuilder root = SpecBuilder.of(weights, seed);
        root.constant("class_token", 0f, 1, 1, hidden);
        root.child("conv_proj").truncatedNormal("weight", Math.sqrt(1.0 / (3 * patch * patch)), hidden, 3, patch,
                patch).constant("bias", 0f, hidden);
        SpecBuilder encoder = root.child("encoder");
        encoder.normal("pos_embedding", 0.02, 1, tokens(), hidden);
        for (int i = 0; i < layers; i++) {
            SpecBuilder block = encoder.child("layers").child("encoder_layer_" + i);
            block.child("ln_1").layerNorm(hidden);
            SpecBuilder attention = block.child("self_attention");
            attention.xavierUniform("in_proj_weight", 3 * hidden, hidden).constant("in_proj_bias", 0f, 3 * hidden);
            attention.child("out_proj").uniformFanIn("weight", hidden, hidden, hidden).constant("bias", 0f, hidden);
            attention.child("probabilities");
            block.child("ln_2").layerNorm(hidden);
            SpecBuilder perceptron = block.child("mlp");
            perceptron.child("0").xavierUniform("weight", mlp, hidden).normal("bias", 1e-6, mlp);
            perceptron.child("3").xavierUniform("weight", hidden, mlp).normal("bias", 1e-6, hidden);
        }
        encoder.child("ln").layerNorm(hidden);
        root.child("heads").child("head").constant("weight", 0f, CLASSES, hidden).constant("bias", 0f, CLASSES);
        return root.build();
    }

    @Override
    public String forward() {
        int headSize = hidden / heads;
        ForwardSource f = new ForwardSource();
        // The positional embedding has one entry per patch of a 224 x 224 image: say so, not a shape mismatch.
        f.line("assert x.size(2) == " + SIDE + " and x.size(3) == " + SIDE + ", \"" + name
                + " takes " + SIDE + " x " + SIDE + " images\"");
        f.let("n", "x.size(0)");
        f.let("x", "torch.conv2d(x, self.conv_proj.weight, self.conv_proj.bias, [" + patch + ", " + patch + "])");
        f.let("x", "x.reshape([n, " + hidden + ", " + (tokens() - 1) + "]).permute([0, 2, 1])");
        f.let("x", "torch.cat([self.class_token.expand([n, -1, -1]), x], 1) + self.encoder.pos_embedding");
        for (int i = 0; i < layers; i++) {
            String block = layer(i);
            String attention = module(block + ".self_attention");
            f.let("h", layerNorm("x", block + ".ln_1", hidden, EPS));
            f.let("qkv", "torch.linear(h, " + attention + ".in_proj_weight, " + attention + ".in_proj_bias)"
                    + ".reshape([n, " + tokens() + ", 3, " + heads + ", " + headSize + "]).permute([2, 0, 3, 1, 4])");
            // torch.nn.MultiheadAttention scales the queries by 1/sqrt(head size) before the product.
            f.let("a", "torch.softmax(torch.matmul(qkv[0] / " + Math.sqrt(headSize)
                    + ", qkv[1].transpose(-2, -1)), -1)");
            f.let("a", call(attentionProbabilities(i), "a"));
            f.let("h", "torch.matmul(a, qkv[2]).permute([0, 2, 1, 3]).reshape([n, " + tokens() + ", " + hidden
                    + "])");
            f.let("x", linear("h", block + ".self_attention.out_proj") + " + x");
            f.let("h", layerNorm("x", block + ".ln_2", hidden, EPS));
            f.let("h", "torch.gelu(" + linear("h", block + ".mlp.0") + ")");
            f.let("x", linear("h", block + ".mlp.3") + " + x");
        }
        f.let("x", layerNorm("x", "encoder.ln", hidden, EPS));
        return f.returning(linear("x.select(1, 0)", "heads.head"));
    }

    /** Each block's identity over its attention probabilities, so that they are a layer of their own name. */
    @Override
    public Map<String, String> submoduleForwards() {
        Map<String, String> forwards = new LinkedHashMap<>();
        for (int i = 0; i < layers; i++) {
            forwards.put(attentionProbabilities(i), new ForwardSource().returning("x"));
        }
        return forwards;
    }

    /** torchvision's weights for ViT-B/16 (IMAGENET1K_V1): resized to 256, centre 224. */
    @Override
    public Preprocessing preprocessing() {
        return Preprocessing.torchvision().withSizes(256, SIDE);
    }

    /**
     * The last block's first LayerNorm: its (batch, 197, 768) tokens become a (batch, 768, 14, 14) map when the
     * class token is dropped and the patches laid out on their grid.
     */
    @Override
    public String gradCamLayer() {
        return layer(layers - 1) + ".ln_1";
    }
}
