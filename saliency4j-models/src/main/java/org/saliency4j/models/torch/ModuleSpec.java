package org.saliency4j.models.torch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.saliency4j.FloatTensor;

/**
 * A module tree in plain Java, as {@code torch.nn.Module}'s state dict names it: each node's parameters, float
 * buffers and int64 counters (BatchNorm's {@code num_batches_tracked}), and its children in registration order.
 * The torch package turns it into a TorchScript module; the models package describes architectures with it.
 */
public record ModuleSpec(Map<String, FloatTensor> parameters, Map<String, FloatTensor> buffers, List<String> counters,
                         Map<String, ModuleSpec> children) {

    public ModuleSpec {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
        counters = List.copyOf(counters);
        children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
    }

    /** Every tensor's dotted state-dict name and shape, parameters then buffers then counters, depth first. */
    public Map<String, int[]> stateDictShapes() {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        collect("", shapes);
        return shapes;
    }

    /** The number of trainable values. */
    public long parameterCount() {
        long count = parameters.values().stream().mapToLong(FloatTensor::size).sum();
        for (ModuleSpec child : children.values()) {
            count += child.parameterCount();
        }
        return count;
    }

    private void collect(String prefix, Map<String, int[]> shapes) {
        parameters.forEach((name, t) -> shapes.put(prefix + name, t.shape()));
        buffers.forEach((name, t) -> shapes.put(prefix + name, t.shape()));
        counters.forEach(name -> shapes.put(prefix + name, new int[0]));
        children.forEach((name, child) -> child.collect(prefix + name + ".", shapes));
    }
}
