package org.saliency4j.internal.torch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.GraphFunction;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TupleElements;
import org.bytedeco.pytorch.global.torch;
import org.saliency4j.LayerInfo;
import org.saliency4j.SaliencyException;

/**
 * A model's forwards rewritten to return inner layers' outputs ({@link ForwardGraph}): one per list of layers (a
 * single one for Grad-CAM, every attention layer for rollout), made on first use and kept until {@link #close()},
 * and the list of layers with their shapes. Calls run inside the caller's {@code PointerScope}; the functions kept
 * are retained beyond it.
 */
final class LayerTaps {
    static final int SIZES_KEPT = 8;
    /** How far an attention row's sum may be from 1: float32 softmax rows over a few hundred tokens are within 1e-6. */
    private static final double ROW_SUM_TOLERANCE = 1e-3;
    private final String name;
    private final JitModule module;
    private final Device device;
    /** By the layers they return: the model's layers one at a time, and its attention layers per input size. */
    private final Map<List<String>, GraphFunction> functions = new HashMap<>();
    private final Map<String, GraphFunction> scalings = new HashMap<>();
    private final Map<String, Output> outputs = new HashMap<>();
    /** The layers per input size, the most recently used kept: a service sees a few sizes, not thousands. */
    private final Map<Integer, List<LayerInfo>> layersBySize = recentSizes();
    private final Map<Integer, List<String>> attentionBySize = recentSizes();

    LayerTaps(String name, JitModule module, Device device) {
        this.name = name;
        this.module = module;
        this.device = device;
    }

    /**
     * The layers in forward order with their output shapes for one {@code inputSize} image, found by running a
     * zero image through a forward that returns them all (once per size; the answers for the last
     * {@value #SIZES_KEPT} sizes are kept).
     */
    synchronized List<LayerInfo> layers(int inputSize) {
        return layersBySize.computeIfAbsent(inputSize, this::findLayers);
    }

    /**
     * The layers whose outputs are a vision transformer's attention probabilities, in forward order: shaped
     * (batch, heads, 1 + side * side, 1 + side * side) ({@link LayerInfo#attentionGridSide}), with rows of
     * non-negative values summing to 1 on a zero image (which a feature map of that shape does not have).
     */
    synchronized List<String> attentionLayers(int inputSize) {
        return attentionBySize.computeIfAbsent(inputSize, this::findAttentionLayers);
    }

    private List<String> findAttentionLayers(int inputSize) {
        List<String> shaped = layers(inputSize).stream().filter(l -> LayerInfo.attentionGridSide(l.shape()) > 0)
                .map(LayerInfo::name).toList();
        if (shaped.isEmpty()) {
            return shaped;
        }
        try (NoGradGuard noGrad = new NoGradGuard()) {
            TupleElements outputs = run(ForwardGraph.of(module).returning(shaped), zeroImage(inputSize));
            List<String> found = new ArrayList<>();
            for (int i = 0; i < shaped.size(); i++) {
                Tensor output = outputs.get(i + 1).toTensor();
                if (rowsAreProbabilities(Tensors.toFloats(output), (int) output.size(3))) {
                    found.add(shaped.get(i));
                }
            }
            return List.copyOf(found);
        }
    }

    private static boolean rowsAreProbabilities(float[] values, int row) {
        for (int start = 0; start < values.length; start += row) {
            double sum = 0;
            for (int j = start; j < start + row; j++) {
                if (!(values[j] >= 0)) {
                    return false;
                }
                sum += values[j];
            }
            if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    private List<LayerInfo> findLayers(int inputSize) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            ForwardGraph graph = ForwardGraph.of(module);
            List<String> names = graph.layers();
            TupleElements outputs = run(graph.returning(names), zeroImage(inputSize));
            List<LayerInfo> found = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                IValue output = outputs.get(i + 1);
                long[] shape = output.isTensor() ? output.toTensor().shape() : new long[0];
                found.add(new LayerInfo(names.get(i), Arrays.stream(shape).mapToInt(Math::toIntExact).toArray()));
            }
            return List.copyOf(found);
        }
    }

    private Tensor zeroImage(int inputSize) {
        return torch.zeros(1, 3, inputSize, inputSize).to(device, torch.ScalarType.Float);
    }

    /**
     * The forward rewritten to return (logits, the outputs of {@code layers} in their order).
     *
     * @throws SaliencyException naming {@code layer} when the model has no layer of one of the names
     */
    synchronized GraphFunction function(List<String> layers, int inputSize) {
        GraphFunction function = functions.get(layers);
        if (function != null) {
            return function;
        }
        ForwardGraph graph = ForwardGraph.of(module);
        for (String layer : layers) {
            if (!graph.has(layer)) {
                List<String> spatial = layers(inputSize).stream().filter(LayerInfo::spatial).map(LayerInfo::name)
                        .toList();
                String last = String.join(", ", spatial.subList(Math.max(0, spatial.size() - 5), spatial.size()));
                throw new SaliencyException(SaliencyException.Kind.OPTION, "layer", "no layer " + layer + " in "
                        + name + "; its last spatial layers are " + last + " (`saliency4j model layers` lists all)");
            }
        }
        function = graph.returning(layers);
        // Made inside a call's scope, whose close releases one reference; this one lasts until close().
        function.retainReference();
        functions.put(List.copyOf(layers), function);
        return function;
    }

    /**
     * The forward rewritten to multiply {@code layer}'s output by a mask ({@link ForwardGraph#scaling}), made on first
     * use and kept until {@link #close()}.
     *
     * @throws SaliencyException naming {@code layer} when the model has no such layer
     */
    synchronized GraphFunction scaling(String layer, int inputSize) {
        GraphFunction known = scalings.get(layer);
        if (known != null) {
            return known;
        }
        function(List.of(layer), inputSize);
        GraphFunction made = ForwardGraph.of(module).scaling(layer);
        // Made inside a call's scope, whose close releases one reference; this one lasts until close().
        made.retainReference();
        scalings.put(layer, made);
        return made;
    }

    /**
     * {@code layer}'s output as the class activation maps weigh it, found by running a zero image of the caller's
     * size through the layer's tap once per layer (a layer's channels do not change with the input's size): any name
     * of the layer's value, including those {@link #layers} lists under a longer one.
     *
     * @throws SaliencyException naming {@code layer} when the model has no such layer, or when its output is
     *                           neither a feature map nor a vision transformer's tokens
     */
    synchronized Output output(String layer, int height, int width) {
        Output known = outputs.get(layer);
        if (known != null) {
            return known;
        }
        int[] shape;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor x = torch.zeros(1, 3, height, width).to(device, torch.ScalarType.Float);
            shape = Arrays.stream(run(function(List.of(layer), height), x).get(1).toTensor().shape()).mapToInt(Math::toIntExact)
                    .toArray();
        }
        boolean tokens = LayerInfo.tokenGridSide(shape) > 0;
        if (shape.length != 4 && !tokens) {
            throw notSpatial(name, layer, shape);
        }
        Output made = new Output(new LayerInfo(layer, shape).channels(), tokens);
        outputs.put(layer, made);
        return made;
    }

    /**
     * A layer's channels, and whether its output is a vision transformer's tokens (batch, tokens, channels) rather
     * than a feature map (batch, channels, height, width).
     */
    record Output(int channels, boolean tokens) {
        /** A mask's shape for n images that scales whole channels, broadcast over the positions or tokens. */
        long[] maskShape(int n) {
            return tokens ? new long[]{n, 1, channels} : new long[]{n, channels, 1, 1};
        }
    }

    /** Runs a rewritten forward on {@code x}; its outputs are the logits, then the layers'. */
    TupleElements run(GraphFunction function, Tensor x) {
        return call(function, x).toTuple().elements();
    }

    /** Runs a rewritten forward on {@code x} and its further inputs; returns its output. */
    IValue call(GraphFunction function, Tensor x, Tensor... more) {
        IValueVector stack = new IValueVector(new IValue(module._ivalue()), new IValue(x));
        for (Tensor t : more) {
            stack.push_back(new IValue(t));
        }
        try {
            function.run(stack);
        } catch (RuntimeException e) {
            long[] shape = x.shape();
            throw new SaliencyException(SaliencyException.Kind.MODEL, name, "forward failed on a "
                    + shape[0] + "x3x" + shape[2] + "x" + shape[3] + " input (" + NativeErrors.summary(e) + ")");
        }
        return stack.get(0);
    }

    static SaliencyException notSpatial(String model, String layer, int[] shape) {
        return new SaliencyException(SaliencyException.Kind.OPTION, "layer", "layer " + layer + " of " + model
                + " outputs shape " + Arrays.toString(shape) + "; Grad-CAM needs (batch, channels, height, width), or a "
                + "vision transformer's (batch, 1 + side * side, channels) tokens");
    }

    /** A map of the answers for the last {@value #SIZES_KEPT} input sizes used. */
    private static <V> Map<Integer, V> recentSizes() {
        return new LinkedHashMap<>(4, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, V> eldest) {
                return size() > SIZES_KEPT;
            }
        };
    }

    synchronized void close() {
        functions.values().forEach(GraphFunction::close);
        functions.clear();
        scalings.values().forEach(GraphFunction::close);
        scalings.clear();
    }
}
