package org.saliency4j.internal.torch;

import java.nio.DoubleBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TupleElements;
import org.bytedeco.pytorch.global.torch;
import org.saliency4j.models.VisionTransformer;
import org.saliency4j.models.WeightSource;
import org.saliency4j.models.torch.ScriptWriter;

/**
 * A vision transformer's forward written again by hand, in float64, which also returns each block's attention
 * probabilities as PyTorch's own fused kernel computes them ({@code torch._native_multi_head_attention} with
 * {@code need_weights}, heads kept apart), independently of the architecture's softmax. The kernel has no
 * derivative, so the forward itself weighs the values with its own {@code softmax(q k^T / sqrt(d))}, which must
 * equal the kernel's; each block adds a perturbation to those before they weigh the values, so the logits'
 * derivative w.r.t. a probability is their derivative w.r.t. the perturbation: by autograd and by finite
 * differences.
 *
 * @param logits        the logits, one per class
 * @param probabilities each block's probabilities (heads, T, T) by the fused kernel, unperturbed
 * @param softmax       the same by the forward's own softmax
 * @param gradients     each block's d logits[target] / d probabilities (heads, T, T)
 */
public record ReferenceAttention(double[] logits, List<double[]> probabilities, List<double[]> softmax,
                                 List<double[]> gradients) {

    /** Writes {@code vit}'s reference forward with {@code weights} to {@code file}. */
    public static void write(VisionTransformer vit, WeightSource weights, Path file) {
        ScriptWriter.save(vit.spec(weights), vit.name() + "_reference", source(vit), null, file);
    }

    private static String source(VisionTransformer vit) {
        int hidden = vit.hidden();
        int tokens = vit.grid() * vit.grid() + 1;
        StringBuilder s = new StringBuilder("def forward(self, x");
        StringBuilder returned = new StringBuilder("    return (torch.linear(h.select(1, 0), self.heads.head.weight"
                + ".double(), self.heads.head.bias.double())");
        for (int i = 0; i < vit.layers(); i++) {
            s.append(", d").append(i);
            returned.append(", p").append(i);
        }
        for (int i = 0; i < vit.layers(); i++) {
            returned.append(", k").append(i);
        }
        s.append("):\n");
        s.append("    n = x.size(0)\n");
        s.append("    h = torch.conv2d(x.double(), self.conv_proj.weight.double(), self.conv_proj.bias.double(), ")
                .append("[").append(vit.patch()).append(", ").append(vit.patch()).append("])\n");
        s.append("    h = h.flatten(2).transpose(1, 2)\n");
        s.append("    h = torch.cat([self.class_token.double().expand(n, -1, -1), h], 1)")
                .append(" + self.encoder.pos_embedding.double()\n");
        for (int i = 0; i < vit.layers(); i++) {
            String b = "self.encoder.layers.encoder_layer_" + i;
            String a = b + ".self_attention";
            s.append("    y = ").append(layerNorm("h", b + ".ln_1", hidden)).append("\n");
            s.append("    w = ").append(a).append(".in_proj_weight.double()\n");
            s.append("    wb = ").append(a).append(".in_proj_bias.double()\n");
            s.append("    pw = ").append(a).append(".out_proj.weight.double()\n");
            s.append("    pb = ").append(a).append(".out_proj.bias.double()\n");
            s.append("    z = y.detach()\n");
            s.append("    o, k").append(i).append(" = torch._native_multi_head_attention(z, z, z, ").append(hidden)
                    .append(", ").append(vit.heads()).append(", w, wb, pw, pb, None, True, False)\n");
            int head = hidden / vit.heads();
            String split = ".reshape([n, " + tokens + ", " + vit.heads() + ", " + head + "]).transpose(1, 2)";
            s.append("    q = torch.linear(y, w[:").append(hidden).append("], wb[:").append(hidden).append("])")
                    .append(split).append("\n");
            s.append("    k = torch.linear(y, w[").append(hidden).append(":").append(2 * hidden).append("], wb[")
                    .append(hidden).append(":").append(2 * hidden).append("])").append(split).append("\n");
            s.append("    p").append(i).append(" = torch.softmax(torch.matmul(q, k.transpose(2, 3)) / ")
                    .append(Math.sqrt(head)).append(", -1)\n");
            s.append("    v = torch.linear(y, w[").append(2 * hidden).append(":], wb[").append(2 * hidden)
                    .append(":]).reshape([n, ").append(tokens).append(", ").append(vit.heads()).append(", ")
                    .append(hidden / vit.heads()).append("]).transpose(1, 2)\n");
            s.append("    o = torch.matmul(p").append(i).append(" + d").append(i)
                    .append(", v).transpose(1, 2).reshape([n, ").append(tokens).append(", ").append(hidden)
                    .append("])\n");
            s.append("    h = h + torch.linear(o, pw, pb)\n");
            s.append("    y = ").append(layerNorm("h", b + ".ln_2", hidden)).append("\n");
            String mlp0 = "getattr(" + b + ".mlp, '0')";
            String mlp3 = "getattr(" + b + ".mlp, '3')";
            s.append("    y = torch.gelu(torch.linear(y, ").append(mlp0).append(".weight.double(), ")
                    .append(mlp0).append(".bias.double()))\n");
            s.append("    h = h + torch.linear(y, ").append(mlp3).append(".weight.double(), ")
                    .append(mlp3).append(".bias.double())\n");
        }
        s.append("    h = ").append(layerNorm("h", "self.encoder.ln", hidden)).append("\n");
        s.append(returned).append(")\n");
        return s.toString();
    }

    /** LayerNorm over the last dimension with eps 1e-6, as torchvision's ViT. */
    private static String layerNorm(String x, String module, int channels) {
        return "torch.layer_norm(" + x + ", [" + channels + "], " + module + ".weight.double(), " + module
                + ".bias.double(), 1e-6)";
    }

    /**
     * Runs the reference on one image with block {@code block}'s probability {@code index} (a flat index into
     * (heads, T, T)) raised by {@code delta}, and differentiates logits[target] w.r.t. every block's probabilities.
     */
    public static ReferenceAttention run(Path file, VisionTransformer vit, float[] input, int target, int block,
                                         int index, double delta) {
        int tokens = vit.grid() * vit.grid() + 1;
        int side = vit.patch() * vit.grid();
        try (PointerScope scope = new PointerScope()) {
            JitModule module = torch.load(file.toString());
            module.eval();
            Tensor x = Tensor.create(input, 1, 3, side, side);
            List<Tensor> deltas = new ArrayList<>();
            IValueVector arguments = new IValueVector(new IValue(x));
            for (int i = 0; i < vit.layers(); i++) {
                double[] d = new double[vit.heads() * tokens * tokens];
                if (i == block) {
                    d[index] = delta;
                }
                Tensor t = Tensor.create(d, 1, vit.heads(), tokens, tokens);
                t.requires_grad_(true);
                deltas.add(t);
                arguments.push_back(new IValue(t));
            }
            TupleElements out = module.forward(arguments).toTuple().elements();
            Tensor logits = out.get(0).toTensor();
            logits.select(1, target).sum().backward();
            List<double[]> probabilities = new ArrayList<>();
            List<double[]> softmax = new ArrayList<>();
            List<double[]> gradients = new ArrayList<>();
            for (int i = 0; i < vit.layers(); i++) {
                softmax.add(doubles(out.get(i + 1).toTensor().detach()));
                probabilities.add(doubles(out.get(i + 1 + vit.layers()).toTensor()));
                gradients.add(doubles(deltas.get(i).grad()));
            }
            return new ReferenceAttention(doubles(logits.detach()), probabilities, softmax, gradients);
        }
    }

    private static double[] doubles(Tensor t) {
        Tensor host = t.contiguous();
        DoubleBuffer buffer = host.createBuffer();
        double[] values = new double[(int) host.numel()];
        buffer.get(values);
        return values;
    }
}
