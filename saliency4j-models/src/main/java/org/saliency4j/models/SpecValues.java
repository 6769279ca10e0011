package org.saliency4j.models;

import java.util.LinkedHashMap;
import java.util.Map;
import org.saliency4j.FloatTensor;
import org.saliency4j.models.torch.ModuleSpec;

/**
 * A module tree with the same layout and every value asked of a {@link WeightSource}, in state-dict order
 * (parameters, buffers, counters, then children, depth first). The bridge for architectures whose spec does not
 * yet take a WeightSource itself.
 */
final class SpecValues {
    private SpecValues() {
    }

    static ModuleSpec replace(ModuleSpec spec, WeightSource weights) {
        return replace("", spec, weights);
    }

    private static ModuleSpec replace(String prefix, ModuleSpec spec, WeightSource weights) {
        Map<String, FloatTensor> parameters = new LinkedHashMap<>();
        spec.parameters().forEach((name, t) -> parameters.put(name, asked(weights, prefix + name, t.shape())));
        Map<String, FloatTensor> buffers = new LinkedHashMap<>();
        spec.buffers().forEach((name, t) -> buffers.put(name, asked(weights, prefix + name, t.shape())));
        // Counters are asked too (the contract is one question per entry); the written file keeps them at 0.
        spec.counters().forEach(name -> weights.values(prefix + name, new int[0]));
        Map<String, ModuleSpec> children = new LinkedHashMap<>();
        spec.children().forEach((name, child) -> children.put(name, replace(prefix + name + ".", child, weights)));
        return new ModuleSpec(parameters, buffers, spec.counters(), children);
    }

    private static FloatTensor asked(WeightSource weights, String name, int[] shape) {
        return new FloatTensor(shape, weights.values(name, shape));
    }
}
