package org.saliency4j.internal.torch;

import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A written TorchScript file's logits for one image, and the gradient of its top logit w.r.t. the image: what
 * PyTorch's reference computes, with nothing of the library between (no preprocessing, no target choice).
 *
 * @param logits   the forward's output, one value per class
 * @param top      the class of the largest logit
 * @param gradient d logits[top] / d input, (3, side, side)
 */
public record ScriptedOutputs(float[] logits, int top, float[] gradient) {
    public static ScriptedOutputs of(Path file, float[] input, int side) {
        // libtorch's own convolution, not oneDNN's: on the Zen 5 machines of this project oneDNN's convolution
        // backward is wrong (see ConvolutionCheck), and its 1x1 backward has crashed the JVM (SIGFPE in
        // brg_blocking_t::est_eff_1x1) in a process where ConvolutionCheck's small probe had found it right.
        boolean oneDnn = torch.globalContext().userEnabledMkldnn();
        torch.globalContext().setUserEnabledMkldnn(false);
        try (PointerScope scope = new PointerScope()) {
            JitModule module = torch.load(file.toString());
            module.eval();
            Tensor x = Tensor.create(input, 1, 3, side, side);
            x.requires_grad_(true);
            Tensor logits = module.forward(new IValueVector(new IValue(x))).toTensor();
            int top = (int) logits.argmax().item_long();
            logits.select(1, top).sum().backward();
            return new ScriptedOutputs(Tensors.toFloats(logits.detach()), top, Tensors.toFloats(x.grad()));
        } finally {
            torch.globalContext().setUserEnabledMkldnn(oneDnn);
        }
    }
}
