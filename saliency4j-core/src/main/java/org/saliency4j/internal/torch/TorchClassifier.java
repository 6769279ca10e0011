package org.saliency4j.internal.torch;

import static org.saliency4j.internal.torch.Tensors.toFloats;

import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.GraphFunction;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.TupleElements;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.parameter_iterator;
import org.bytedeco.pytorch.parameter_list;
import org.saliency4j.LayerInfo;
import org.saliency4j.SaliencyException;
import org.saliency4j.Score;
import org.saliency4j.method.LayerBatch;
import org.saliency4j.method.ReluRule;
import org.saliency4j.method.TappedLayers;

/**
 * A TorchScript image classifier loaded for explaining: eval mode, parameters frozen (so backward computes only
 * the input gradient), warmed up. Thread-safe: many threads may explain at once; {@link #close()} waits for them.
 * Every native object made during a call is freed by that call's {@link PointerScope}.
 */
public final class TorchClassifier implements AutoCloseable {
    private final String name;
    private final String deviceName;
    private final Device device;
    /** The file the model was loaded from; {@link #name} is what messages call it. */
    private final Path file;
    private final JitModule module;
    private final int classes;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** A second copy, only ever run unoptimised, whose autograd graphs have ReLU nodes to hook. */
    private JitModule hookable;
    private final LayerTaps taps;
    private boolean closed;

    private TorchClassifier(Path file, String name, String deviceName, Device device, JitModule module, int classes) {
        this.file = file;
        this.name = name;
        this.deviceName = deviceName;
        this.device = device;
        this.module = module;
        this.classes = classes;
        this.taps = new LayerTaps(name, module, device);
    }

    /**
     * Loads the model without touching libtorch's process-wide settings (threads, TF32: see
     * {@code org.saliency4j.explain.Engine}), except that the first load in a process runs {@link ConvolutionCheck}.
     *
     * @param inputSize  the side of the square input used to check the model and warm it up
     * @param warmupRuns forward+backward passes paid at load, so TorchScript's profiling runs are not paid later
     */
    public static TorchClassifier load(Path file, String deviceSpec, int inputSize, int warmupRuns) {
        return load(file, file.toString(), deviceSpec, inputSize, warmupRuns);
    }

    /**
     * @param name what errors call the model: the name the user gave (a built-in model lives in a temporary file
     *             whose path means nothing to them, and a service must not show its paths to clients)
     */
    public static TorchClassifier load(Path file, String name, String deviceSpec, int inputSize, int warmupRuns) {
        checkReadable(file);
        String deviceName = TorchDevices.resolve(deviceSpec);
        ConvolutionCheck.ensure();
        Device device = new Device(deviceName);
        JitModule module;
        try {
            module = torch.load(file.toString(), new DeviceOptional(device), false);
        } catch (RuntimeException e) {
            device.close();
            throw new SaliencyException(SaliencyException.Kind.MODEL, name,
                    "not a TorchScript model file (" + NativeErrors.summary(e) + ")");
        }
        module.eval();
        freeze(module);
        try {
            int classes = probe(name, module, device, inputSize);
            TorchClassifier ready = new TorchClassifier(file, name, deviceName, device, module, classes);
            for (int i = 0; i < warmupRuns; i++) {
                ready.gradients(new float[3 * inputSize * inputSize], 1, inputSize, inputSize, (n, p) -> 0,
                        Score.LOGIT);
            }
            return ready;
        } catch (RuntimeException e) {
            module.close();
            device.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** {@code cpu} or {@code cuda:N}. */
    public String device() {
        return deviceName;
    }

    public int classes() {
        return classes;
    }

    /**
     * Runs the batch forward, picks each image's target from its probabilities, and backpropagates the sum of the
     * targets' scores once: the images are independent, so each image's gradient is that of its own score.
     *
     * @param input normalised images, (batch, 3, height, width) row-major
     */
    public GradientBatch gradients(float[] input, int batch, int height, int width, TargetChooser chooser,
                                   Score score) {
        return gradients(input, batch, height, width, chooser, score, ReluRule.STANDARD);
    }

    /** The same, with the ReLUs passing gradients back by {@code rule}. */
    public GradientBatch gradients(float[] input, int batch, int height, int width, TargetChooser chooser,
                                   Score score, ReluRule rule) {
        requireLength(input, batch, height, width);
        lock.readLock().lock();
        try (PointerScope scope = new PointerScope()) {
            requireOpen();
            Tensor x = Tensor.create(input, batch, 3, height, width);
            if (!deviceName.equals("cpu")) {
                // Move first, then require grad: a moved tensor that requires grad is not a leaf and gets no .grad.
                x = x.to(device, torch.ScalarType.Float);
            }
            x.requires_grad_(true);
            Tensor logits = rule == ReluRule.STANDARD ? forward(x, batch, height, width)
                    : unoptimisedForward(x, batch, height, width);
            Chosen chosen = choose(logits, batch, chooser, score);
            Tensor total = requireGradient(chosen.scores().sum());
            List<Object> hooks = rule == ReluRule.STANDARD ? List.of() : ReluHooks.install(total.grad_fn(), rule);
            if (rule != ReluRule.STANDARD && hooks.isEmpty()) {
                throw new SaliencyException(SaliencyException.Kind.MODEL, name,
                        "has no ReLU to apply " + rule.name().toLowerCase() + " backpropagation to");
            }
            try {
                total.backward();
            } catch (RuntimeException e) {
                throw new SaliencyException(SaliencyException.Kind.MODEL, name,
                        "backward failed (" + NativeErrors.summary(e) + ")");
            }
            Reference.reachabilityFence(hooks);
            if (!x.grad().defined()) {
                throw noGradient();
            }
            float[] gradient = requireFinite("gradient", toFloats(x.grad()));
            return new GradientBatch(chosen.classes(), chosen.probabilities(), chosen.targets(), chosen.values(),
                    gradient);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The score of class {@code target} for each image of the batch, forward only: no autograd history is kept, so
     * it costs one forward pass and its activations are freed as it goes. What perturbation methods and
     * faithfulness curves ask for, many times per image.
     *
     * @param input normalised images, (batch, 3, height, width) row-major
     * @throws IllegalArgumentException when the model has no class {@code target}
     */
    public float[] scores(float[] input, int batch, int height, int width, int target, Score score) {
        requireLength(input, batch, height, width);
        lock.readLock().lock();
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            requireOpen();
            if (target < 0 || target >= classes) {
                throw new IllegalArgumentException("class " + target + " is not one of the model's " + classes);
            }
            Tensor x = Tensor.create(input, batch, 3, height, width);
            if (!deviceName.equals("cpu")) {
                x = x.to(device, torch.ScalarType.Float);
            }
            Tensor logits = forward(x, batch, height, width);
            requireFinite("scores", toFloats(logits));
            return requireFinite("scores", toFloats(scores(logits, score).select(1, target).contiguous()));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The score of class {@code target} at one image with channel {@code channels[i]} of {@code layer}'s output
     * zeroed, for each i, forward only: the image is sent {@code channels.length} times, the layer's output
     * multiplied by a mask that is zero on that image's channel (at every position, or every token of a vision
     * transformer's) and one elsewhere. What Ablation-CAM asks for; the caller bounds the batch.
     *
     * @param image a normalised image, (3, height, width) row-major
     * @throws SaliencyException        naming {@code layer} when the model has no such layer, or when its output is
     *                                  neither a feature map nor a vision transformer's tokens
     * @throws IllegalArgumentException when the model has no class {@code target}, or the layer no such channel
     */
    public float[] ablatedScores(float[] image, int height, int width, int target, Score score, String layer,
                                 int[] channels) {
        requireLength(image, 1, height, width);
        int n = channels.length;
        lock.readLock().lock();
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            requireOpen();
            if (target < 0 || target >= classes) {
                throw new IllegalArgumentException("class " + target + " is not one of the model's " + classes);
            }
            LayerTaps.Output output = taps.output(layer, height, width);
            float[] mask = new float[n * output.channels()];
            Arrays.fill(mask, 1);
            for (int i = 0; i < n; i++) {
                if (channels[i] < 0 || channels[i] >= output.channels()) {
                    throw new IllegalArgumentException("channel " + channels[i] + " is not one of the "
                            + output.channels() + " of layer " + layer);
                }
                mask[i * output.channels() + channels[i]] = 0;
            }
            Tensor x = Tensor.create(image, 1, 3, height, width).to(device, torch.ScalarType.Float)
                    .repeat(n, 1, 1, 1);
            Tensor m = Tensor.create(mask, output.maskShape(n)).to(device, torch.ScalarType.Float);
            Tensor logits = checkedLogits(name, taps.call(taps.scaling(layer, height), x, m), n);
            requireFinite("scores", toFloats(logits));
            return requireFinite("scores", toFloats(scores(logits, score).select(1, target).contiguous()));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs the batch forward, picks each image's target as {@link #gradients} does, and backpropagates the sum of
     * the targets' scores to the output of {@code layer} (a module path such as {@code features.norm5}).
     *
     * @throws SaliencyException naming {@code layer} when the model has no such layer, or when its output is not
     *                           (batch, channels, height, width)
     */
    public LayerBatch layerGradients(float[] input, int batch, int height, int width, TargetChooser chooser,
                                     Score score, String layer) {
        return layerPass(input, batch, height, width, chooser, score, layer, false).layer();
    }

    /** The input gradients and a layer's, from one forward and one backward pass: Grad-CAM's whole first pass. */
    public record LayerPass(GradientBatch gradients, LayerBatch layer) {
    }

    /** {@link #layerGradients} with the input gradient as well, from the same backward pass. */
    public LayerPass gradientsWithLayer(float[] input, int batch, int height, int width, TargetChooser chooser,
                                        Score score, String layer) {
        return layerPass(input, batch, height, width, chooser, score, layer, true);
    }

    private LayerPass layerPass(float[] input, int batch, int height, int width, TargetChooser chooser,
                                Score score, String layer, boolean inputGradient) {
        lock.readLock().lock();
        try (PointerScope scope = new PointerScope()) {
            requireOpen();
            Tapped tapped = tap(input, batch, height, width, chooser, score, List.of(layer), true, inputGradient,
                    outputs -> {
                        int[] shape = shapeOf(outputs.get(0));
                        if ((shape.length != 4 && LayerInfo.tokenGridSide(shape) == 0) || shape[0] != batch) {
                            throw LayerTaps.notSpatial(name, layer, shape);
                        }
                    });
            Tensor map = tapped.outputs().get(0).detach();
            Tensor layerGradient = tapped.layerGradients().get(0);
            int gridSide = LayerInfo.tokenGridSide(shapeOf(map));
            if (gridSide > 0) {
                map = patchGrid(map, gridSide);
                layerGradient = patchGrid(layerGradient, gridSide);
            }
            long[] shape = map.shape();
            Chosen chosen = tapped.chosen();
            LayerBatch layerBatch = new LayerBatch(layer, (int) shape[1], (int) shape[2], (int) shape[3],
                    chosen.targets(), chosen.values(), toFloats(map),
                    requireFinite("gradient at layer " + layer, toFloats(layerGradient)));
            return new LayerPass(inputGradient ? inputGradients(tapped) : null, layerBatch);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The input gradients and several layers' outputs (and gradients), from one forward and one backward pass. */
    public record LayersPass(GradientBatch gradients, TappedLayers layers) {
    }

    /**
     * Runs the batch forward returning the outputs of {@code layers} as they are, picks each image's target as
     * {@link #gradients} does, and backpropagates the sum of the targets' scores once, to the layers' outputs when
     * {@code layerGradients} and to the input when {@code inputGradient}; with neither, no backward pass is run.
     *
     * @return the input gradients (null unless {@code inputGradient}) and the layers, in the order named
     */
    public LayersPass layersPass(float[] input, int batch, int height, int width, TargetChooser chooser,
                                 Score score, List<String> layers, boolean layerGradients, boolean inputGradient) {
        lock.readLock().lock();
        try (PointerScope scope = new PointerScope()) {
            requireOpen();
            Tapped tapped = tap(input, batch, height, width, chooser, score, layers, layerGradients, inputGradient,
                    outputs -> {
                    });
            List<TappedLayers.Layer> found = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                String layer = layers.get(i);
                Tensor output = tapped.outputs().get(i);
                found.add(new TappedLayers.Layer(layer, shapeOf(output), toFloats(output.detach()),
                        layerGradients ? requireFinite("gradient at layer " + layer,
                                toFloats(tapped.layerGradients().get(i))) : null));
            }
            Chosen chosen = tapped.chosen();
            return new LayersPass(inputGradient ? inputGradients(tapped) : null,
                    new TappedLayers(chosen.targets(), chosen.values(), found));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * What one forward returning some layers' outputs, and one backward from the targets' summed scores, found:
     * the layers' outputs (still attached), the gradients w.r.t. them (empty unless asked for), and the input's
     * (null unless asked for).
     */
    private record Tapped(Chosen chosen, List<Tensor> outputs, List<Tensor> layerGradients, Tensor inputGradient) {
    }

    /**
     * The forward that returns {@code layers}' outputs, which {@code check} sees before any target is chosen, and
     * the backward to what is asked for; inside the caller's lock and scope.
     */
    private Tapped tap(float[] input, int batch, int height, int width, TargetChooser chooser, Score score,
                       List<String> layers, boolean layerGradients, boolean inputGradient,
                       Consumer<List<Tensor>> check) {
        GraphFunction function = taps.function(layers, height);
        Tensor x = Tensor.create(input, batch, 3, height, width);
        if (!deviceName.equals("cpu")) {
            // Move first, then require grad, as in gradients().
            x = x.to(device, torch.ScalarType.Float);
        }
        // The layers' outputs need a history for their gradients even when the input's is not wanted; with no
        // gradient wanted (attention rollout's noisy copies) none is recorded, the parameters being frozen.
        if (layerGradients || inputGradient) {
            x.requires_grad_(true);
        }
        TupleElements returned = taps.run(function, x);
        Tensor logits = checkedLogits(name, returned.get(0), batch);
        List<Tensor> outputs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            outputs.add(returned.get(i + 1).toTensor());
        }
        check.accept(outputs);
        Chosen chosen = choose(logits, batch, chooser, score);
        List<Tensor> wrt = new ArrayList<>(layerGradients ? outputs : List.of());
        if (inputGradient) {
            wrt.add(x);
        }
        if (wrt.isEmpty()) {
            return new Tapped(chosen, outputs, List.of(), null);
        }
        Tensor total = requireGradient(chosen.scores().sum());
        TensorVector gradients;
        try {
            gradients = torch.grad(new TensorVector(total), new TensorVector(wrt.toArray(new Tensor[0])));
        } catch (RuntimeException e) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "layer", "the score of " + name
                    + " does not depend on layer " + String.join(", ", layers) + " (" + NativeErrors.summary(e)
                    + ")");
        }
        List<Tensor> layerGradientList = new ArrayList<>();
        for (int i = 0; layerGradients && i < outputs.size(); i++) {
            layerGradientList.add(gradients.get(i));
        }
        return new Tapped(chosen, outputs, layerGradientList, inputGradient ? gradients.get(wrt.size() - 1) : null);
    }

    private GradientBatch inputGradients(Tapped tapped) {
        Chosen chosen = tapped.chosen();
        return new GradientBatch(chosen.classes(), chosen.probabilities(), chosen.targets(), chosen.values(),
                requireFinite("gradient", toFloats(tapped.inputGradient())));
    }

    private static int[] shapeOf(Tensor t) {
        return Arrays.stream(t.shape()).mapToInt(Math::toIntExact).toArray();
    }

    /**
     * A vision transformer's (batch, 1 + side * side, channels) tokens as a (batch, channels, side, side) map: the
     * class token dropped, the patch tokens laid out on their grid in the row-major order the patch embedding
     * flattened them in. Activations and gradients get the same layout, so Grad-CAM weighs them as a feature map.
     */
    private static Tensor patchGrid(Tensor tokens, int side) {
        long[] shape = tokens.shape();
        return tokens.narrow(1, 1, (long) side * side).permute(0, 2, 1).reshape(shape[0], shape[2], side, side);
    }

    /**
     * The model's layers in forward order with their output shapes for one {@code inputSize} image (found once per
     * size, see {@link LayerTaps#layers}).
     */
    public List<LayerInfo> layers(int inputSize) {
        lock.readLock().lock();
        try (PointerScope scope = new PointerScope()) {
            requireOpen();
            return taps.layers(inputSize);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The channels of {@code layer}'s output that a class activation map weighs (a feature map's, or a vision
     * transformer's token width), under any of the layer's names: what Score-CAM's and Ablation-CAM's cost grows with.
     *
     * @throws SaliencyException naming {@code layer} when the model has no such layer, or when its output is
     *                           neither a feature map nor a vision transformer's tokens
     */
    public int layerChannels(String layer, int inputSize) {
        lock.readLock().lock();
        try (PointerScope scope = new PointerScope()) {
            requireOpen();
            return taps.output(layer, inputSize, inputSize).channels();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The layers whose outputs are the model's attention probabilities, in forward order (see
     * {@link LayerTaps#attentionLayers}), for inputs of {@code inputSize}.
     *
     * @throws SaliencyException naming the model when it has none
     */
    public List<String> attentionLayers(int inputSize) {
        lock.readLock().lock();
        try (PointerScope scope = new PointerScope()) {
            requireOpen();
            List<String> found = taps.attentionLayers(inputSize);
            if (found.isEmpty()) {
                throw new SaliencyException(SaliencyException.Kind.MODEL, name, "exposes no attention "
                        + "probabilities: attention rollout needs a vision transformer whose attention "
                        + "probabilities are layers of their own, of shape (batch, heads, tokens, tokens), such as "
                        + "saliency4j's own vit_b_16 (`saliency4j model build vit_b_16`)");
            }
            return found;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Grad-CAM's default layer, as {@link LayerInfo#gradCamDefault} chooses it. */
    public String defaultLayer(int inputSize) {
        List<LayerInfo> all = layers(inputSize);
        if (all.isEmpty()) {
            throw new SaliencyException(SaliencyException.Kind.MODEL, name, "has no named layers for Grad-CAM: its "
                    + "forward reads no submodule (a frozen TorchScript file, or parameters kept on the root module)");
        }
        return LayerInfo.gradCamDefault(all).map(LayerInfo::name).orElseThrow(() -> new SaliencyException(
                SaliencyException.Kind.MODEL, name,
                "has no layer with a spatial output (batch, channels, height, width) for Grad-CAM"));
    }

    /**
     * @throws SaliencyException naming {@code layer} when the model has no layer of that name, or when its output
     *                           is neither (batch, channels, height, width) nor a vision transformer's tokens
     */
    public void checkLayer(String layer, int inputSize) {
        lock.readLock().lock();
        try (PointerScope scope = new PointerScope()) {
            requireOpen();
            taps.function(List.of(layer), inputSize);
            for (LayerInfo info : taps.layers(inputSize)) {
                if (info.name().equals(layer) && info.shape().length != 4 && !info.tokenGrid()) {
                    throw LayerTaps.notSpatial(name, layer, info.shape());
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private static void requireLength(float[] input, int batch, int height, int width) {
        if (input.length != (long) batch * 3 * height * width) {
            throw new IllegalArgumentException("input has " + input.length + " values, expected " + batch + "x3x"
                    + height + "x" + width);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the model " + name + " is closed");
        }
    }

    /** Each image's probabilities, chosen target, and the differentiable score of that target. */
    private record Chosen(int classes, float[] probabilities, int[] targets, float[] values, Tensor scores) {
    }

    private Chosen choose(Tensor logits, int batch, TargetChooser chooser, Score score) {
        requireFinite("scores", toFloats(logits.detach()));
        int classCount = (int) logits.size(1);
        float[] probabilities = toFloats(torch.softmax(logits.detach(), 1));
        int[] targets = new int[batch];
        long[] targetIndices = new long[batch];
        for (int i = 0; i < batch; i++) {
            float[] row = Arrays.copyOfRange(probabilities, i * classCount, (i + 1) * classCount);
            targets[i] = chooser.choose(i, row);
            targetIndices[i] = targets[i];
        }
        Tensor index = Tensor.create(targetIndices, batch, 1).to(device, torch.ScalarType.Long);
        Tensor chosen = scores(logits, score).gather(1, index);
        return new Chosen(classCount, probabilities, targets, toFloats(chosen.detach()), chosen);
    }

    /**
     * The summed scores, when they have a history to differentiate: the parameters are frozen, so only the input
     * gives them one. A model that detaches its input (or computes its scores without it) has no gradient, and
     * libtorch would only say so in a C++ backtrace.
     */
    private Tensor requireGradient(Tensor total) {
        if (!total.requires_grad()) {
            throw noGradient();
        }
        return total;
    }

    private SaliencyException noGradient() {
        return new SaliencyException(SaliencyException.Kind.MODEL, name,
                "its scores do not depend on the input: no gradient");
    }

    /**
     * The values, when all are finite. A model's NaN or infinite scores or gradients (an overflow, a log of zero,
     * a division by zero inside it) would otherwise become a map and probabilities of NaN, reported as success.
     */
    private float[] requireFinite(String what, float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new SaliencyException(SaliencyException.Kind.MODEL, name, "non-finite " + what
                        + " for this input (" + (Float.isNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity") + ")");
            }
        }
        return values;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                module.close();
                synchronized (this) {
                    if (hookable != null) {
                        hookable.close();
                    }
                    taps.close();
                }
                device.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs one zero image through the model and returns its class count, or says why it is not a classifier. */
    private static int probe(String name, JitModule module, Device device, int inputSize) {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = torch.zeros(1, 3, inputSize, inputSize).to(device, torch.ScalarType.Float);
            return (int) forward(name, module, x, 1, inputSize, inputSize).size(1);
        }
    }

    private Tensor forward(Tensor x, int batch, int height, int width) {
        return forward(name, module, x, batch, height, width);
    }

    /**
     * The forward through {@link #hookable}, with TorchScript's graph optimisation off for this call: then every
     * operation leaves its own autograd node.
     */
    private Tensor unoptimisedForward(Tensor x, int batch, int height, int width) {
        JitModule copy = hookableCopy();
        boolean optimize = torch.getGraphExecutorOptimize();
        torch.setGraphExecutorOptimize(false);
        try {
            return forward(name, copy, x, batch, height, width);
        } finally {
            torch.setGraphExecutorOptimize(optimize);
        }
    }

    private synchronized JitModule hookableCopy() {
        if (hookable == null) {
            JitModule copy = torch.load(file.toString(), new DeviceOptional(device), false);
            // Made inside a call's scope, whose close releases one reference; this one lasts until close().
            copy.retainReference();
            copy.eval();
            freeze(copy);
            hookable = copy;
        }
        return hookable;
    }

    private static Tensor forward(String name, JitModule module, Tensor x, int batch, int height, int width) {
        IValue output;
        try {
            output = module.forward(new IValueVector(new IValue(x)));
        } catch (RuntimeException e) {
            throw new SaliencyException(SaliencyException.Kind.MODEL, name, "forward failed on a " + batch + "x3x"
                    + height + "x" + width + " input (" + NativeErrors.summary(e) + ")");
        }
        return checkedLogits(name, output, batch);
    }

    private static Tensor checkedLogits(String name, IValue output, int batch) {
        if (!output.isTensor()) {
            throw new SaliencyException(SaliencyException.Kind.MODEL, name,
                    "not an image classifier: forward returns " + output.tagKind().getString()
                            + ", expected a [batch, classes] tensor");
        }
        Tensor logits = output.toTensor();
        long[] shape = logits.shape();
        if (shape.length != 2 || shape[0] != batch || shape[1] < 1 || !logits.is_floating_point()) {
            throw new SaliencyException(SaliencyException.Kind.MODEL, name,
                    "not an image classifier: output has shape " + Arrays.toString(shape) + " of type "
                            + logits.scalar_type() + " for a batch of " + batch + ", expected [" + batch
                            + ", classes] floating point");
        }
        return logits;
    }

    private static Tensor scores(Tensor logits, Score score) {
        return switch (score) {
            case LOGIT -> logits;
            case PROBABILITY -> torch.softmax(logits, 1);
            case LOG_PROBABILITY -> torch.log_softmax(logits, 1);
        };
    }

    private static void freeze(JitModule module) {
        try (PointerScope scope = new PointerScope()) {
            parameter_list parameters = module.parameters(true);
            for (parameter_iterator it = parameters.begin(); it.notEquals(parameters.end()); it = it.increment()) {
                it.access().requires_grad_(false);
            }
        }
    }

    private static void checkReadable(Path file) {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new SaliencyException(SaliencyException.Kind.MODEL, name, "no such model file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new SaliencyException(SaliencyException.Kind.MODEL, name, "not a readable file");
        }
        try {
            if (Files.size(file) == 0) {
                throw new SaliencyException(SaliencyException.Kind.MODEL, name, "the model file is empty");
            }
        } catch (java.io.IOException e) {
            throw new SaliencyException(SaliencyException.Kind.MODEL, name, "cannot be read (" + e.getMessage() + ")");
        }
    }
}
