package org.saliency4j.benchmarks;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.parameter_iterator;
import org.bytedeco.pytorch.parameter_list;
import org.bytedeco.pytorch.global.torch;

/**
 * The baseline: what a Java user would write with the presets alone, no saliency4j. Forward, and forward plus the
 * backward of the top logit with the gradient copied to a Java array; parameters frozen as saliency4j freezes them.
 */
final class BareTorch implements AutoCloseable {
    private final JitModule module;
    private final float[] input;
    private final int size;

    BareTorch(Path file, float[] input, int size) {
        this.module = torch.load(file.toString());
        module.eval();
        try (PointerScope scope = new PointerScope()) {
            parameter_list parameters = module.parameters(true);
            for (parameter_iterator it = parameters.begin(); it.notEquals(parameters.end()); it = it.increment()) {
                it.access().requires_grad_(false);
            }
        }
        this.input = input;
        this.size = size;
    }

    /** The top class's logit. */
    float forward() {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = Tensor.create(input, 1, 3, size, size);
            Tensor logits = module.forward(new IValueVector(new IValue(x))).toTensor();
            return logits.max().item_float();
        }
    }

    /** The input gradient of the top logit, on the host. */
    float[] forwardBackward() {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = Tensor.create(input, 1, 3, size, size);
            x.requires_grad_(true);
            Tensor logits = module.forward(new IValueVector(new IValue(x))).toTensor();
            logits.max().backward();
            Tensor grad = x.grad().contiguous();
            float[] out = new float[(int) grad.numel()];
            ((FloatBuffer) grad.createBuffer()).get(out);
            return out;
        }
    }

    @Override
    public void close() {
        module.close();
    }
}
