package org.saliency4j.models.torch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A module tree in plain Java, as {@code torch.nn.Module}'s state dict names it: each node's parameters, float
 * buffers and int64 counters (BatchNorm's {@code num_batches_tracked}), and its children in registration order.
 * The torch package turns it into a TorchScript module; the models package describes architectures with it.
 * <p>
 * A spec holds shapes, not values: each entry makes its values when asked, and {@link ScriptWriter} asks once per
 * entry, in state-dict order, while it writes. So a ViT-B/16 (344 MB of float32) never has all its values on the
 * Java heap at once, and names and shapes cost nothing to list. Each write makes the values anew: a weights file
 * is read again, a random initialisation drawn again (from where its generator stands, so a second write differs).
 */
public record ModuleSpec(Map<String, Entry> parameters, Map<String, Entry> buffers, Map<String, Entry> counters,
                         Map<String, ModuleSpec> children) {

    /**
     * One tensor of the tree.
     *
     * @param shape  its dimensions; counters have none
     * @param values makes its values, flat in C order (float for counters too: they are small integers)
     */
    public record Entry(int[] shape, Supplier<float[]> values) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** The number of values. */
        public long size() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    public ModuleSpec {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
    }

    /** Every tensor's dotted state-dict name and shape, parameters then buffers then counters, depth first. */
    public Map<String, int[]> stateDictShapes() {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        collect("", shapes);
        return shapes;
    }

    /** The entries' dotted names in state-dict order, the order {@link ScriptWriter} asks for their values. */
    public List<String> stateDictNames() {
        return List.copyOf(stateDictShapes().keySet());
    }

    /** The number of trainable values. */
    public long parameterCount() {
        long count = parameters.values().stream().mapToLong(Entry::size).sum();
        for (ModuleSpec child : children.values()) {
            count += child.parameterCount();
        }
        return count;
    }

    private void collect(String prefix, Map<String, int[]> shapes) {
        parameters.forEach((name, t) -> shapes.put(prefix + name, t.shape()));
        buffers.forEach((name, t) -> shapes.put(prefix + name, t.shape()));
        counters.forEach((name, t) -> shapes.put(prefix + name, t.shape()));
        children.forEach((name, child) -> child.collect(prefix + name + ".", shapes));
    }
}
