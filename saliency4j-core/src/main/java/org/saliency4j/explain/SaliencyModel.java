package org.saliency4j.explain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.saliency4j.Baseline;
import org.saliency4j.Cancellation;
import org.saliency4j.ClassLabels;
import org.saliency4j.FloatTensor;
import org.saliency4j.ImageInput;
import org.saliency4j.ImageSize;
import org.saliency4j.LayerInfo;
import org.saliency4j.ModelCard;
import org.saliency4j.ModelInfo;
import org.saliency4j.ModelOptions;
import org.saliency4j.Picture;
import org.saliency4j.Prediction;
import org.saliency4j.Score;
import org.saliency4j.Preprocessing;
import org.saliency4j.SaliencyException;
import org.saliency4j.SaliencyMap;
import org.saliency4j.Target;
import org.saliency4j.TargetScore;
import org.saliency4j.Timings;
import org.saliency4j.Vocabulary;
import org.saliency4j.internal.Adopted;
import org.saliency4j.internal.image.Baselines;
import org.saliency4j.internal.image.ImageDecoder;
import org.saliency4j.internal.image.MapBuilder;
import org.saliency4j.internal.image.ModelInput;
import org.saliency4j.internal.image.Preprocessor;
import org.saliency4j.internal.torch.GradientBatch;
import org.saliency4j.internal.torch.TargetChooser;
import org.saliency4j.internal.torch.TargetGradients;
import org.saliency4j.internal.torch.TorchClassifier;
import org.saliency4j.method.AttentionTaps;
import org.saliency4j.method.Attributions;
import org.saliency4j.method.LayerBatch;
import org.saliency4j.method.Method;
import org.saliency4j.method.MethodParameters;
import org.saliency4j.method.TappedLayers;
import org.saliency4j.method.Workload;

/**
 * A TorchScript image classifier, loaded once, that explains images: vanilla gradients, gradient x input,
 * integrated gradients, guided backpropagation, deconvnet, the Grad-CAM family, guided Grad-CAM, occlusion, RISE, and
 * the SmoothGrad family around any of them.
 * Thread-safe: one model serves many threads at once. Close it to free its native memory.
 *
 * <p>Loading a model leaves libtorch's process-wide settings (intra-op threads, TF32) as they are: call
 * {@link Engine#configure Engine.configure(EngineSettings.recommended())} once at start-up, as the CLI and the
 * service do, for the measured thread default and CUDA maps equal to CPU maps.
 *
 * <pre>{@code
 * try (SaliencyModel model = SaliencyModel.load(Path.of("densenet201.pt"), ModelOptions.defaults())) {
 *     Explanation e = model.explain(ImageInput.file(Path.of("lion.jpg")), ExplainRequest.defaults());
 *     Picture overlay = e.render(RenderOptions.defaults());
 *     Files.write(Path.of("lion-saliency.png"), PictureEncoder.png(overlay)); // org.saliency4j.io
 * }
 * }</pre>
 */
public final class SaliencyModel implements AutoCloseable {
    /** The attention layers' values a pass may hold (32M floats, 128 MB): see {@link #imagesPerPass}. */
    static final long ATTENTION_FLOATS_PER_PASS = 32L << 20;
    private final TorchClassifier classifier;
    private final ClassLabels labels;
    private final Preprocessing preprocessing;
    private final ImageDecoder decoder;
    private final ModelInfo info;
    /** The most inputs sent through the model at once, unless a call says otherwise. */
    private final int batch;
    /** Grad-CAM's default layer as the model card names it; null to choose the last spatial one. */
    private final String cardLayer;

    private SaliencyModel(TorchClassifier classifier, ClassLabels labels, Preprocessing preprocessing,
                          ImageDecoder decoder, ModelInfo info, int batch, String cardLayer) {
        this.cardLayer = cardLayer;
        this.classifier = classifier;
        this.labels = labels;
        this.preprocessing = preprocessing;
        this.decoder = decoder;
        this.info = info;
        this.batch = batch;
    }

    /**
     * Loads a TorchScript classifier, checks that it maps a (1, 3, S, S) image to [1, classes] scores, freezes
     * its parameters and warms it up. libtorch's process-wide settings stay as they are (see {@link Engine}), save
     * that the first load in a process turns oneDNN off on CPUs where its convolution gradients are wrong.
     *
     * @throws SaliencyException naming the file when it is missing, not TorchScript, or not a classifier, or
     *                           naming the device when it is not available
     */
    public static SaliencyModel load(Path file, ModelOptions options) {
        Optional<ModelCard> card = ModelCard.read(file);
        Preprocessing carded = card.map(ModelCard::preprocessing).orElseGet(Preprocessing::defaults);
        // An input size given at load is the model's: it is checked and warmed at it, and requests that leave the
        // preprocessing to the model are prepared at it (resized at least that large).
        int inputSize = options.inputSize() > 0 ? options.inputSize() : carded.size();
        Preprocessing preprocessing = inputSize == carded.size() ? carded
                : carded.withSizes(Math.max(carded.resize(), inputSize), inputSize);
        TorchClassifier classifier = TorchClassifier.load(file, options.name() != null ? options.name()
                : file.toString(), options.device(), inputSize, options.warmupRuns());
        ClassLabels labels;
        String cardLayer = card.map(ModelCard::gradCamLayer).orElse(null);
        try {
            labels = labels(options.labels(), card, classifier.classes());
            checkCardLayer(classifier, cardLayer, inputSize, file);
        } catch (SaliencyException e) {
            classifier.close();
            throw e;
        }
        ModelInfo info = new ModelInfo(options.name() != null ? options.name() : file.toString(), classifier.device(),
                classifier.classes(), inputSize);
        int batch = options.batch() > 0 ? options.batch() : ModelOptions.defaultBatch(classifier.device());
        return new SaliencyModel(classifier, labels, preprocessing, new ImageDecoder(options.limits()), info, batch,
                cardLayer);
    }

    /**
     * A card's Grad-CAM layer, which comes from the file, checked once at load: else a wrong one would fail every
     * class activation map with a layer error the user never gave.
     */
    private static void checkCardLayer(TorchClassifier classifier, String layer, int inputSize, Path file) {
        if (layer == null) {
            return;
        }
        try {
            classifier.checkLayer(MethodParameters.LAYER.parse(layer), inputSize);
        } catch (SaliencyException e) {
            throw new SaliencyException(SaliencyException.Kind.MODEL, file.toString(), "its model card's Grad-CAM "
                    + "layer is not a layer of the model (" + e.problem() + ")");
        }
    }

    /**
     * The given names (refused unless one per class), else the card's, else ImageNet's for 1000 classes, else
     * indices.
     */
    private static ClassLabels labels(ClassLabels given, Optional<ModelCard> card, int classes) {
        if (given != null) {
            if (given.size() != classes) {
                throw new SaliencyException(SaliencyException.Kind.OPTION, "labels", "the labels name "
                        + given.size() + " classes, but the model has " + classes);
            }
            return given;
        }
        if (card.isPresent() && card.get().labels().size() == classes) {
            return ClassLabels.of(card.get().labels());
        }
        ClassLabels imagenet = ClassLabels.imagenet();
        return classes == imagenet.size() ? imagenet : ClassLabels.indices(classes);
    }

    public ModelInfo info() {
        return info;
    }

    /**
     * The most inputs sent through the model at once, unless a call says otherwise: {@link ModelOptions#batch()},
     * or the device's default ({@link ModelOptions#defaultBatch}) when that was 0.
     */
    public int batch() {
        return batch;
    }

    /**
     * Decodes an image under this model's limits, as {@link #explain} would: a server decodes on its request
     * threads and hands {@link ImageInput#picture} inputs to {@link #explainBatch}, so one bad upload cannot fail
     * a batch.
     *
     * @throws SaliencyException naming the image when it cannot be used
     */
    public Picture decode(ImageInput image) {
        return decoder.decode(image);
    }

    /**
     * The size an encoded image's header declares, checked against this model's limits, without decoding it.
     *
     * @throws SaliencyException naming the image when it is not a supported image or exceeds the limits
     */
    public ImageSize declaredSize(ImageInput.Bytes image) {
        return decoder.declaredSize(image.name(), image.encoded());
    }

    /**
     * The preprocessing a request gets when it leaves it to the model: the model card's, else torchvision's ImageNet
     * transform, at {@link ModelOptions#inputSize()} when one was given.
     */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /**
     * The model's layers, as Grad-CAM's {@link Method#layer()} names them, in forward order, with their output
     * shapes for one image of the model's input size.
     */
    public List<LayerInfo> layers() {
        return classifier.layers(info.inputSize());
    }

    /** The class names in use: the given ones, the card's, ImageNet's, or indices when the count does not match. */
    public ClassLabels labels() {
        return labels;
    }

    /**
     * The images the request sends through this model to explain one image ({@link Method#passes}): what a
     * service bounds before it queues a request. The method's layer is resolved as {@link #explain} would, so a
     * method whose cost grows with its layer's channels (Score-CAM, Ablation-CAM) is counted at that layer.
     *
     * @throws SaliencyException naming {@code layer} when the model has no such layer
     */
    public long passes(ExplainRequest given) {
        ExplainRequest request = resolved(given);
        int size = request.preprocessing().size();
        Method method = request.method();
        int channels = method.usesLayer() ? classifier.layerChannels(method.layer(), size) : 0;
        return method.passes(new Workload(size, size, channels));
    }

    /**
     * The score of class {@code target} at each of several preprocessed inputs, forward only, sent through the
     * model at most {@link #batch()} at a time: what faithfulness curves (inputs with pixels deleted or revealed)
     * and perturbation tests ask for.
     *
     * @param inputs (n, 3, H, W): images as the model takes them, preprocessed and normalised (an
     *               {@link Explanation}'s input tensor, perturbed)
     * @return the score of {@code target} for each input, (n)
     * @throws SaliencyException naming {@code target} when the model has no such class
     */
    public float[] scores(FloatTensor inputs, int target, Score score) {
        int[] shape = inputs.shape();
        if (shape.length != 4 || shape[1] != 3) {
            throw new IllegalArgumentException("inputs must be (n, 3, H, W), got " + Arrays.toString(shape));
        }
        if (target < 0 || target >= info.classes()) {
            throw Vocabulary.TARGET.invalid("class " + target + " is not one of the model's " + info.classes());
        }
        TargetGradients model = new TargetGradients(classifier, shape[2], shape[3], target, score, null, List.of(),
                AttentionTaps.NONE, () -> { });
        int plane = 3 * shape[2] * shape[3];
        float[] all = inputs.toArray();
        float[] out = new float[shape[0]];
        for (int first = 0; first < shape[0]; first += batch) {
            int count = Math.min(batch, shape[0] - first);
            float[] part = Arrays.copyOfRange(all, first * plane, (first + count) * plane);
            System.arraycopy(model.scores(part, count), 0, out, first, count);
        }
        return out;
    }

    /**
     * A baseline as a model input: what integrated gradients start from, and what faithfulness curves delete
     * pixels to or reveal them from. The blur is the view's; a file baseline is decoded under this model's limits
     * and preprocessed as the input was.
     *
     * @param view          the image as the model sees it, before normalisation ({@link Explanation#view()})
     * @param preprocessing the input's preprocessing: its size, mean and standard deviation
     * @return (3, size, size), normalised
     * @throws SaliencyException naming the baseline's file when it cannot be used
     */
    public FloatTensor baseline(Baseline baseline, Picture view, Preprocessing preprocessing) {
        int size = preprocessing.size();
        return Adopted.tensor(new int[]{3, size, size}, Baselines.make(baseline, view, preprocessing, decoder));
    }

    /**
     * Decodes and preprocesses the image, runs the model, backpropagates the target's score to the input, computes
     * the request's attribution method (which may ask the model for gradients at more inputs), and reduces the
     * attribution to a map.
     *
     * @throws SaliencyException naming the image when it cannot be used, or the target when it is unknown
     */
    public Explanation explain(ImageInput image, ExplainRequest request) {
        return explainTargets(image, request, List.of(request.target())).get(0);
    }

    /**
     * Explains one image for each of several targets (captum #612), which replace the request's own target: that
     * one is not read. The image is decoded and preprocessed once, and the targets' gradients come from one
     * forward and one backward pass over copies of it (in batches of the model's {@link ModelOptions#batch()}).
     *
     * @return one explanation per target, in the targets' order; each names its own target
     */
    public List<Explanation> explainTargets(ImageInput image, ExplainRequest given, List<Target> targets) {
        ExplainRequest request = resolved(given);
        if (targets.isEmpty() || targets.size() > Target.MAX_TARGETS) {
            throw Vocabulary.TARGET.invalid(
                    "needs 1 to " + Target.MAX_TARGETS + " targets, got " + targets.size());
        }
        long start = System.nanoTime();
        Picture original = decoder.decode(image);
        long decoded = System.nanoTime();
        Preprocessing p = request.preprocessing();
        ModelInput input = Preprocessor.prepare(original, p);
        long prepared = System.nanoTime();
        int plane = input.tensor().length;
        int batch = imagesPerPass(request, this.batch);
        List<Explanation> explanations = new ArrayList<>();
        for (int first = 0; first < targets.size(); first += batch) {
            List<Target> chunk = targets.subList(first, Math.min(targets.size(), first + batch));
            long chunkStart = System.nanoTime();
            float[] copies = new float[chunk.size() * plane];
            for (int i = 0; i < chunk.size(); i++) {
                System.arraycopy(input.tensor(), 0, copies, i * plane, plane);
            }
            Pass pass = pass(copies, chunk.size(), (i, probabilities) -> chunk.get(i).resolve(probabilities, labels),
                    request);
            long passed = System.nanoTime();
            GradientBatch gradients = pass.gradients();
            float[] probabilities = Arrays.copyOf(gradients.probabilities(), gradients.classes());
            List<Prediction> predictions = Prediction.mostProbable(probabilities, request.topK(), labels);
            for (int i = 0; i < chunk.size(); i++) {
                float[] gradient = Arrays.copyOfRange(gradients.gradient(), i * plane, (i + 1) * plane);
                explanations.add(explanation(image.name(), request, original, input, predictions,
                        gradients.targets()[i], gradients.scores()[i], gradient, pass.layer(i), pass.attention(i),
                        new Marks(start, decoded, prepared, chunkStart, passed), batch, Cancellation.NEVER));
            }
        }
        return explanations;
    }

    /**
     * Explains several images with one forward and one backward pass per {@link ModelOptions#batch()} of them, each
     * for the request's target: what a server does with concurrent requests, and what throughput is measured on.
     * A bad image fails the whole call; decode images first where that matters.
     *
     * @return one explanation per image, in order
     */
    public List<Explanation> explainBatch(List<ImageInput> images, ExplainRequest given) {
        return explainBatch(images, given, batch, Cancellation.NEVER);
    }

    /**
     * {@link #explainBatch(List, ExplainRequest)} with this call's own batch size, stopped within one pass once
     * {@code cancellation} says so: it is checked before every forward and backward pass, the first and each one
     * the method adds.
     *
     * @param callBatch the most inputs sent through the model at once (images, noisy copies, path points): bounds
     *                  memory, not results; 0 for the model's {@link #batch()} (the rollouts may send fewer, see
     *                  {@link #imagesPerPass})
     * @throws java.util.concurrent.CancellationException when cancelled before the last pass
     */
    public List<Explanation> explainBatch(List<ImageInput> images, ExplainRequest given, int callBatch,
                                          Cancellation cancellation) {
        Vocabulary.BATCH.check(callBatch);
        ExplainRequest request = resolved(given);
        int batch = imagesPerPass(request, callBatch > 0 ? callBatch : this.batch);
        Preprocessing p = request.preprocessing();
        int plane = 3 * p.size() * p.size();
        List<Explanation> explanations = new ArrayList<>();
        for (int first = 0; first < images.size(); first += batch) {
            long start = System.nanoTime();
            List<ImageInput> chunk = images.subList(first, Math.min(images.size(), first + batch));
            List<Picture> originals = new ArrayList<>();
            List<ModelInput> inputs = new ArrayList<>();
            float[] stacked = new float[chunk.size() * plane];
            chunk.forEach(image -> originals.add(decoder.decode(image)));
            long decoded = System.nanoTime();
            for (int i = 0; i < chunk.size(); i++) {
                inputs.add(Preprocessor.prepare(originals.get(i), p));
                System.arraycopy(inputs.get(i).tensor(), 0, stacked, i * plane, plane);
            }
            long prepared = System.nanoTime();
            cancellation.check();
            Pass pass = pass(stacked, chunk.size(), (i, probabilities) -> request.target().resolve(probabilities,
                    labels), request);
            long passed = System.nanoTime();
            GradientBatch gradients = pass.gradients();
            for (int i = 0; i < chunk.size(); i++) {
                float[] gradient = Arrays.copyOfRange(gradients.gradient(), i * plane, (i + 1) * plane);
                float[] probabilities = Arrays.copyOfRange(gradients.probabilities(), i * gradients.classes(),
                        (i + 1) * gradients.classes());
                // Decoding, preprocessing and the pass are shared by the batch: each image reports the batch's.
                explanations.add(explanation(chunk.get(i).name(), request, originals.get(i), inputs.get(i),
                        Prediction.mostProbable(probabilities, request.topK(), labels), gradients.targets()[i],
                        gradients.scores()[i], gradient,
                        pass.layer(i), pass.attention(i), new Marks(start, decoded, prepared, prepared, passed), batch,
                        cancellation));
            }
        }
        return explanations;
    }

    /**
     * The request as this model runs it: its preprocessing made explicit (the model's own when the request leaves it
     * to the model), and its method's layer made explicit and checked.
     */
    private ExplainRequest resolved(ExplainRequest given) {
        ExplainRequest request = given.preprocessing() != null ? given : given.withPreprocessing(preprocessing);
        // Before any work: a model without attention layers cannot be rolled out.
        attentionLayers(request.method(), request.preprocessing().size());
        return request.withMethod(withLayer(request.method(), request.preprocessing().size()));
    }

    /**
     * The most inputs a pass sends through the model: {@code batch}, or fewer for the rollouts, whose attention
     * layers come back whole, (heads, T, T) per block and image, twice with their gradients: ViT-B/16's hold 5.6M
     * floats per image, 22 MB. A pass holds at most {@value #ATTENTION_FLOATS_PER_PASS} of them, and at least one
     * image.
     */
    private int imagesPerPass(ExplainRequest request, int batch) {
        Method method = request.method();
        if (method.attentionTaps() == AttentionTaps.NONE) {
            return batch;
        }
        int size = request.preprocessing().size();
        Set<String> attention = Set.copyOf(attentionLayers(method, size));
        long perImage = 0;
        for (LayerInfo layer : classifier.layers(size)) {
            if (attention.contains(layer.name())) {
                perImage += Arrays.stream(layer.shape()).asLongStream().reduce(1, (a, b) -> a * b);
            }
        }
        if (method.attentionTaps() == AttentionTaps.PROBABILITIES_AND_GRADIENTS) {
            perImage *= 2;
        }
        return (int) Math.max(1, Math.min(batch, ATTENTION_FLOATS_PER_PASS / perImage));
    }

    /**
     * The layers whose attention the method rolls out (found once per input size); empty when it reads none.
     *
     * @throws SaliencyException naming the model when the method rolls out attention and the model exposes none
     */
    private List<String> attentionLayers(Method method, int inputSize) {
        return method.attentionTaps() == AttentionTaps.NONE ? List.of() : classifier.attentionLayers(inputSize);
    }

    /**
     * The method with its Grad-CAM layer made explicit and checked: the named one, else the one the model card
     * names, else the model's last layer with a spatial output for inputs of {@code inputSize}. Methods that weigh
     * no layer are returned as they are.
     *
     * @throws SaliencyException naming {@code layer} when the model has no such layer
     */
    public Method withLayer(Method method, int inputSize) {
        if (!method.usesLayer()) {
            return method;
        }
        if (method.layer() == null && cardLayer == null) {
            return method.withLayer(classifier.defaultLayer(inputSize));
        }
        Method layered = method.layer() == null ? method.withLayer(cardLayer) : method;
        classifier.checkLayer(layered.layer(), inputSize);
        return layered;
    }

    /**
     * A batch's first pass: the input gradients, and the layer's as well when the method weighs it at the input
     * (the Grad-CAM family), or the attention layers' (the rollouts), all from one forward and one backward pass.
     */
    private record Pass(GradientBatch gradients, LayerBatch layers, TappedLayers attention) {
        /** Image {@code i}'s layer output and gradient, or null when the method weighs no layer. */
        LayerBatch layer(int i) {
            return layers == null ? null : layers.image(i);
        }

        /** Image {@code i}'s attention layers, or null when the method rolls out none at the input. */
        TappedLayers attention(int i) {
            return attention == null ? null : attention.image(i);
        }
    }

    private Pass pass(float[] stacked, int n, TargetChooser chooser, ExplainRequest request) {
        int size = request.preprocessing().size();
        Method method = request.method();
        if (method.layerAtInput()) {
            TorchClassifier.LayerPass both = classifier.gradientsWithLayer(stacked, n, size, size, chooser,
                    request.score(), method.layer());
            return new Pass(both.gradients(), both.layer(), null);
        }
        if (method.attentionAtInput()) {
            TorchClassifier.LayersPass both = classifier.layersPass(stacked, n, size, size, chooser, request.score(),
                    attentionLayers(method, size), method.attentionTaps() == AttentionTaps.PROBABILITIES_AND_GRADIENTS,
                    true);
            return new Pass(both.gradients(), null, both.layers());
        }
        return new Pass(classifier.gradients(stacked, n, size, size, chooser, request.score()), null, null);
    }

    /**
     * System.nanoTime() at the call's start, after decoding, after preprocessing, and when the model's first pass
     * began and ended.
     */
    private record Marks(long start, long decoded, long prepared, long passStart, long passed) {
    }

    /**
     * One image's explanation from its gradient: the method's attribution, the map, and the timings.
     *
     */
    private Explanation explanation(String name, ExplainRequest request, Picture original, ModelInput input,
                                    List<Prediction> predictions, int targetIndex, float score, float[] gradient,
                                    LayerBatch layer, TappedLayers attention, Marks marks, int batch,
                                    Cancellation cancellation) {
        Preprocessing p = request.preprocessing();
        long attributing = System.nanoTime();
        Attributions.Result attribution = attribute(request, input, targetIndex, score, gradient, layer, attention,
                batch, cancellation);
        long attributed = System.nanoTime();
        SaliencyMap map = MapBuilder.build(attribution.values(), p.size(), p.size(), request.reduction(),
                request.normalization(), p.mean(), p.std());
        long mapped = System.nanoTime();
        int[] shape = {3, p.size(), p.size()};
        FloatTensor gradientTensor = Adopted.tensor(shape, gradient);
        // Vanilla's attribution is the gradient itself: one tensor serves both.
        FloatTensor attributionTensor = attribution.values() == gradient ? gradientTensor
                : Adopted.tensor(new int[]{attribution.values().length / (p.size() * p.size()), p.size(), p.size()},
                attribution.values());
        Timings timings = new Timings(ms(marks.start(), marks.decoded()), ms(marks.decoded(), marks.prepared()),
                ms(marks.passStart(), marks.passed()), ms(attributing, attributed), ms(attributed, mapped),
                ms(marks.start(), mapped));
        return new Explanation(name, info, request.method(), predictions,
                new TargetScore(targetIndex, labels.name(targetIndex), request.score(), score),
                Adopted.tensor(shape, input.tensor()), gradientTensor, attributionTensor,
                attribution.convergenceDelta(), attribution.integrationSteps(), map, input.view(), original,
                input.region(), timings);
    }

    /**
     * The method's attribution from what the first pass found: the score and the gradient at the input, and the
     * layer's for the Grad-CAM family ({@code layer}, null otherwise). Methods that need more ask the model for
     * gradients or scores at more inputs, at most {@code batch} at a time, each time after checking
     * {@code cancellation}.
     */
    private Attributions.Result attribute(ExplainRequest request, ModelInput input, int target, float score,
                                          float[] gradient, LayerBatch layer, TappedLayers attention, int batch,
                                          Cancellation cancellation) {
        Method method = request.method();
        Preprocessing p = request.preprocessing();
        int size = p.size();
        TargetGradients model = new TargetGradients(classifier, size, size, target, request.score(), method.layer(),
                attentionLayers(method, size), method.attentionTaps(), cancellation::check);
        float[] baseline = method.reference().map(b -> Baselines.make(b, input.view(), p, decoder))
                .orElse(null);
        return new Attributions(model, model, model, model, model, size, size, batch).attribute(method,
                new Attributions.Input(input.tensor(), score, gradient, layer, baseline, attention));
    }

    private static double ms(long from, long to) {
        return (to - from) / 1e6;
    }

    @Override
    public void close() {
        classifier.close();
    }
}
