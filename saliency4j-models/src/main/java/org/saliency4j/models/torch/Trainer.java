package org.saliency4j.models.torch;

import java.nio.file.Path;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.OptimizerOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.parameter_iterator;
import org.bytedeco.pytorch.parameter_list;
import org.bytedeco.pytorch.global.torch;
import org.saliency4j.internal.torch.ModelFiles;
import org.saliency4j.ModelCard;

/** Trains a TorchScript classifier in place with Adam and cross-entropy, from batches made in Java, on the CPU. */
public final class Trainer {
    /** One batch: normalised images (n, 3, size, size) row-major, and their class indices. */
    public record Batch(float[] images, long[] labels, int size) {
    }

    /** Called after each step with the step number and the batch's mean loss. */
    @FunctionalInterface
    public interface Progress {
        void step(int step, float loss);
    }

    private Trainer() {
    }

    /**
     * Loads {@code file}, runs {@code steps} Adam steps on {@code batches.apply(step)} at the step's learning rate,
     * and saves the trained module back to {@code file} with {@code card} as its model card.
     */
    public static void train(Path file, ModelCard card, IntFunction<Batch> batches, int steps,
                             IntToDoubleFunction learningRate, Progress progress) {
        try (PointerScope outer = new PointerScope()) {
            JitModule module = torch.load(file.toString(), new DeviceOptional(new Device("cpu")), false);
            module.train(true);
            TensorVector parameters = new TensorVector();
            parameter_list list = module.parameters(true);
            for (parameter_iterator it = list.begin(); it.notEquals(list.end()); it = it.increment()) {
                parameters.push_back(it.access().requires_grad_(true));
            }
            Adam optimizer = new Adam(parameters, new AdamOptions(learningRate.applyAsDouble(0)));
            OptimizerOptions options = optimizer.param_groups().get(0).options();
            for (int step = 0; step < steps; step++) {
                try (PointerScope scope = new PointerScope()) {
                    Batch batch = batches.apply(step);
                    int n = batch.labels().length;
                    Tensor x = Tensor.create(batch.images(), n, 3, batch.size(), batch.size());
                    Tensor y = Tensor.create(batch.labels(), n);
                    options.set_lr(learningRate.applyAsDouble(step));
                    optimizer.zero_grad();
                    Tensor logits = module.forward(new IValueVector(new IValue(x))).toTensor();
                    Tensor loss = torch.cross_entropy_loss(logits, y);
                    loss.backward();
                    optimizer.step();
                    progress.step(step, loss.item_float());
                }
            }
            module.eval();
            ModelFiles.save(module, file, card);
        }
    }
}
