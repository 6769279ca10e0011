package org.saliency4j.models.torch;

import org.saliency4j.internal.torch.ModelFiles;
import org.saliency4j.internal.torch.Tensors;
import org.saliency4j.internal.torch.NativeErrors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.NamedTensor;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.named_parameter_iterator;
import org.bytedeco.pytorch.named_parameter_list;
import org.bytedeco.pytorch.global.torch;
import org.saliency4j.ModelCard;
import org.saliency4j.SaliencyException;

/**
 * The model-randomisation test's surgery (Adebayo et al., 2018): re-draws the parameters of chosen layers with
 * each tensor's own scale, so a saliency method's maps can be compared before and after the model is destroyed.
 */
public final class LayerRandomizer {
    private LayerRandomizer() {
    }

    /** The modules that own parameters, in the order the model registers them (input side first). */
    public static List<String> layers(Path model) {
        Set<String> layers = new LinkedHashSet<>();
        try (PointerScope scope = new PointerScope()) {
            JitModule module = load(model);
            named_parameter_list list = module.named_parameters(true);
            for (named_parameter_iterator it = list.begin(); it.notEquals(list.end()); it = it.increment()) {
                String name = it.access().name().getString();
                int dot = name.lastIndexOf('.');
                layers.add(dot > 0 ? name.substring(0, dot) : "");
            }
        }
        return new ArrayList<>(layers);
    }

    /**
     * Writes {@code model} to {@code out} with every parameter of {@code layers} replaced by Gaussian values of the
     * original tensor's mean and standard deviation (constant tensors, such as untrained BatchNorm scales, get
     * the standard deviation of a unit normal's tenth, so that they too change).
     */
    public static void randomize(Path model, Path out, Set<String> layers, long seed, ModelCard card) {
        Random random = new Random(seed);
        try (PointerScope scope = new PointerScope()) {
            JitModule module = load(model);
            named_parameter_list list = module.named_parameters(true);
            for (named_parameter_iterator it = list.begin(); it.notEquals(list.end()); it = it.increment()) {
                NamedTensor named = it.access();
                String name = named.name().getString();
                int dot = name.lastIndexOf('.');
                if (!layers.contains(dot > 0 ? name.substring(0, dot) : "")) {
                    continue;
                }
                Tensor parameter = named.value().requires_grad_(false);
                float[] values = Tensors.toFloats(parameter);
                double mean = 0;
                for (float v : values) {
                    mean += v;
                }
                mean /= values.length;
                double variance = 0;
                for (float v : values) {
                    variance += (v - mean) * (v - mean);
                }
                double std = values.length > 1 ? Math.sqrt(variance / (values.length - 1)) : 0;
                double scale = std > 0 ? std : 0.1;
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (mean + random.nextGaussian() * scale);
                }
                parameter.copy_(Tensor.create(values, parameter.shape()));
            }
            ModelFiles.save(module, out, card);
        }
    }

    private static JitModule load(Path model) {
        try {
            return torch.load(model.toString(), new DeviceOptional(new Device("cpu")), false);
        } catch (RuntimeException e) {
            throw new SaliencyException(SaliencyException.Kind.MODEL, model.toString(),
                    "not a TorchScript model file (" + NativeErrors.summary(e) + ")");
        }
    }
}
