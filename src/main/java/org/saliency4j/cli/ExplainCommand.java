package org.saliency4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.saliency4j.ClassLabels;
import org.saliency4j.ColorMap;
import org.saliency4j.ExplainRequest;
import org.saliency4j.Explanation;
import org.saliency4j.Geometry;
import org.saliency4j.ImageFormat;
import org.saliency4j.ImageInput;
import org.saliency4j.ImageLimits;
import org.saliency4j.Method;
import org.saliency4j.ModelOptions;
import org.saliency4j.Normalization;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;
import org.saliency4j.Reduction;
import org.saliency4j.RenderKind;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.SaliencyModel;
import org.saliency4j.Score;
import org.saliency4j.Target;
import org.saliency4j.image.Renderer;
import org.saliency4j.io.NpyWriter;
import org.saliency4j.models.BuiltinModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code saliency4j explain}: one model, one or many images, a saliency map and its renderings for each. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Explain a TorchScript image classifier's prediction with a saliency map. "
                + "With no options: the embedded demo model on the demo task's sample image.")
final class ExplainCommand implements Callable<Integer> {
    private static final int PROGRESS_THRESHOLD = 3;
    private static final String SAMPLE_NAME = "demo-sample";
    private static final int AUTO_ZOOM_TARGET = 256;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = BuiltinModels.DEMO, paramLabel = "FILE|NAME",
            description = "TorchScript classifier file, demo, or densenet121/161/169/201 (random weights) "
                    + "(default: the embedded demo model).")
    String model;

    @Option(names = "--image", paramLabel = "FILE|DIR",
            description = "Image file or directory of images; repeat for several (default: the demo task's sample).")
    List<Path> images;

    @Mixin
    DeviceOptions deviceOptions;

    @Mixin
    MethodOptions methodOptions;

    @Mixin
    ChunkOption chunk;

    @Option(names = "--samples", defaultValue = "50", description = "Noise tunnels: noisy copies per image (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Noise tunnels and the uniform baseline: the seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--preprocess", paramLabel = "MODE",
            description = "torchvision (resize, centre crop) or stretch (default: the model card's, else torchvision).")
    Preprocessing.Mode preprocess;

    @Option(names = "--resize", description = "Shorter side after resizing, torchvision mode (default: 256).")
    Integer resize;

    @Option(names = "--input-size", description = "Side of the square model input (default: 224).")
    Integer inputSize;

    @Option(names = "--mean", split = ",", paramLabel = "R,G,B", description = "Normalisation mean (default: ImageNet's).")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "R,G,B", description = "Normalisation std (default: ImageNet's).")
    float[] std;

    @Option(names = "--topk", defaultValue = "5", description = "Predictions to list (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--labels", paramLabel = "FILE", description = "Class names, one a line (default: ImageNet's for 1000 classes, else indices).")
    Path labels;

    @Option(names = "--target", defaultValue = "top1", paramLabel = "TARGET[,TARGET...]",
            description = "Classes to explain: top1, topK (the K most probable), rankK, an index or a name; several "
                    + "share one forward pass and add the class index to output names (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--score", defaultValue = "logit", description = "logit, probability or log-probability (default: ${DEFAULT-VALUE}).")
    Score score;

    @Option(names = "--reduce", defaultValue = "abs-max", paramLabel = "RULE",
            description = "Channel reduction: sum, abs-sum, abs-max, l2 or seed (default: ${DEFAULT-VALUE}).")
    Reduction reduce;

    @Option(names = "--normalize", defaultValue = "minmax", paramLabel = "RULE",
            description = "minmax, percentile:P or none (default: ${DEFAULT-VALUE}).")
    Normalization normalize;

    @Option(names = "--render", defaultValue = "overlay", paramLabel = "KIND",
            description = "overlay, heatmap, panel or all (default: ${DEFAULT-VALUE}).")
    String render;

    @Option(names = "--colormap", defaultValue = "jet", description = "gray, jet, turbo, inferno, viridis, ... (default: ${DEFAULT-VALUE}).")
    ColorMap colormap;

    @Option(names = "--alpha", defaultValue = "0.5", description = "Heat map weight in the overlay (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--vmin", defaultValue = "0.3", description = "Panel contrast window low end (default: ${DEFAULT-VALUE}).")
    double vmin;

    @Option(names = "--vmax", defaultValue = "0.7", description = "Panel contrast window high end (default: ${DEFAULT-VALUE}).")
    double vmax;

    @Option(names = "--mix", defaultValue = "2", description = "Third panel: map*mix + input/mix (default: ${DEFAULT-VALUE}).")
    double mix;

    @Option(names = "--geometry", defaultValue = "crop", description = "crop (model input) or original (default: ${DEFAULT-VALUE}).")
    Geometry geometry;

    @Option(names = "--zoom", defaultValue = "0", description = "Enlarge renderings N times (nearest neighbour); "
            + "0: enough for small inputs such as the demo's 64x64 to be at least " + AUTO_ZOOM_TARGET + " px high.")
    int zoom;

    @Option(names = "--out", paramLabel = "FILE|DIR", description = "PNG or JPEG file (may contain {name}) or directory (default: <image-stem>-saliency.png here).")
    Path out;

    @Option(names = "--raw-gradient", paramLabel = "FILE.npy", description = "Write the gradient, float32 (3,H,W).")
    Path rawGradient;

    @Option(names = "--attribution-npy", paramLabel = "FILE.npy", description = "Write the method's attribution, float32 (3,H,W).")
    Path attributionNpy;

    @Option(names = "--saliency-npy", paramLabel = "FILE.npy", description = "Write the map before colour, float32 (H,W).")
    Path saliencyNpy;

    @Option(names = "--save-input", paramLabel = "FILE.npy", description = "Write the exact model input, float32 (3,H,W).")
    Path saveInput;

    @Option(names = "--json", description = "Print one JSON object per image on stdout.")
    boolean json;

    @Option(names = "--max-pixels", defaultValue = "64000000", description = "Refuse images declaring more pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        if (zoom < 0 || zoom > 64) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "--zoom", "must be between 0 and 64, got " + zoom);
        }
        List<RenderKind> kinds = renderKinds(render);
        Method method = methodOptions.method(samples, seed, chunk.batch);
        RenderOptions renderOptions = new RenderOptions(kinds.get(0), colormap, alpha, vmin, vmax, mix, geometry);
        List<Target> targets = Target.parseAll(target);
        List<ImageJob> jobs = jobs();
        int results = jobs.size() * targets.size();
        OutputPaths outputs = OutputPaths.of(out, results);
        OutputPaths.requireTemplate("--raw-gradient", rawGradient, results);
        OutputPaths.requireTemplate("--saliency-npy", saliencyNpy, results);
        OutputPaths.requireTemplate("--attribution-npy", attributionNpy, results);
        OutputPaths.requireTemplate("--save-input", saveInput, results);
        ModelOptions modelOptions = deviceOptions.apply(ModelOptions.defaults())
                .withInputSize(inputSize == null ? 0 : inputSize)
                .withLimits(new ImageLimits(ImageLimits.defaults().maxBytes(), maxPixels))
                .withLabels(labels == null ? null : ClassLabels.fromFile(labels)).withName(model);

        int failures = 0;
        try (SaliencyModel saliency = SaliencyModel.load(BuiltinModels.resolve(model), modelOptions)) {
            targets.forEach(t -> t.validate(saliency.labels()));
            Preprocessing preprocessing = preprocessing(saliency.preprocessing());
            // An unknown layer fails the command once, before any image.
            ExplainRequest request = new ExplainRequest(saliency.withLayer(method, preprocessing.size()), targets.get(0),
                    score, topK, preprocessing, reduce, normalize);
            try (ProgressBar progress = progressBar(jobs.size())) {
                for (ImageJob job : jobs) {
                    failures += explainOne(saliency, job, request, targets, kinds, renderOptions, outputs) ? 0 : 1;
                    if (progress != null) {
                        progress.step();
                    }
                }
            }
        }
        if (failures > 0) {
            spec.commandLine().getErr().println("saliency4j: " + failures + " of " + jobs.size() + " images failed");
            return Main.EXIT_FAILED;
        }
        return 0;
    }

    /** One image to explain and the stem its outputs are named after. */
    private record ImageJob(String stem, ImageInput input) {
    }

    /** The given images, or the demo task's sample when none are given. */
    private List<ImageJob> jobs() throws IOException {
        if (images == null || images.isEmpty()) {
            return List.of(new ImageJob(SAMPLE_NAME, ImageInput.picture(SAMPLE_NAME, BuiltinModels.demoSample().image())));
        }
        List<Path> files = ImageFiles.expand(images);
        if (files.isEmpty()) {
            throw new SaliencyException(SaliencyException.Kind.IMAGE, String.valueOf(images), "no image files found");
        }
        return files.stream().map(f -> new ImageJob(ImageFiles.stem(f), ImageInput.file(f))).toList();
    }

    /** The model's own preprocessing (its card's, else torchvision's), with any option given here applied. */
    private Preprocessing preprocessing(Preprocessing model) {
        Preprocessing p = preprocess == null ? model : model.withMode(preprocess);
        if (resize != null || inputSize != null) {
            int size = inputSize != null ? inputSize : p.size();
            p = p.withSizes(resize != null ? resize : Math.max(p.resize(), size), size);
        }
        if (mean != null || std != null) {
            p = p.withNormalization(mean != null ? mean : p.mean(), std != null ? std : p.std());
        }
        return p;
    }

    /** Explains one image and writes its outputs; a bad image is reported and the run goes on. */
    private boolean explainOne(SaliencyModel saliency, ImageJob job, ExplainRequest request, List<Target> targets,
                               List<RenderKind> kinds, RenderOptions renderOptions, OutputPaths outputs) {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            long start = System.nanoTime();
            for (Explanation explanation : saliency.explainEach(job.input(), request, targets)) {
                String stem = targets.size() > 1 ? job.stem() + "-" + explanation.target().index() : job.stem();
                Map<String, String> written = write(explanation, stem, kinds, renderOptions, outputs);
                double totalMs = (System.nanoTime() - start) / 1e6;
                stdout.println(json ? JsonRecords.explanation(mapper, explanation, written, totalMs)
                        : TextReport.explanation(explanation, written, totalMs));
            }
            return true;
        } catch (SaliencyException e) {
            if (e.kind() == SaliencyException.Kind.MODEL || e.kind() == SaliencyException.Kind.DEVICE) {
                throw e;
            }
            report(job, e.getMessage(), e, stdout, stderr);
        } catch (RuntimeException e) {
            // Not a known bad input: still only this image fails, and the message says what happened.
            report(job, job.input().name() + ": " + e, e, stdout, stderr);
        }
        return false;
    }

    private void report(ImageJob job, String message, Exception e, PrintWriter stdout, PrintWriter stderr) {
        stderr.println("saliency4j: " + message);
        if (verbose) {
            e.printStackTrace(stderr);
        }
        if (json) {
            stdout.println(JsonRecords.failure(mapper, job.input().name(), message));
        }
    }

    private Map<String, String> write(Explanation explanation, String stem, List<RenderKind> kinds,
                                      RenderOptions renderOptions, OutputPaths outputs) {
        Map<String, String> written = new LinkedHashMap<>();
        for (RenderKind kind : kinds) {
            Path path = outputs.rendering(stem, kind, kinds.size() > 1);
            Picture picture = enlarged(explanation.render(renderOptions.withKind(kind)));
            writeBytes(path, picture.encode(ImageFormat.forFile(path)));
            written.put(kind.name().toLowerCase(Locale.ROOT), path.toString());
        }
        writeNpy(written, "raw_gradient", rawGradient, stem, explanation.gradient());
        writeNpy(written, "attribution_npy", attributionNpy, stem, explanation.attribution());
        writeNpy(written, "saliency_npy", saliencyNpy, stem, explanation.map().toTensor());
        writeNpy(written, "input_npy", saveInput, stem, explanation.input());
        return written;
    }

    /**
     * The rendering enlarged by --zoom, or automatically when it is small: until it is {@value #AUTO_ZOOM_TARGET}
     * px high, but never wider than three panels of that (a thin image stays as it is); never beyond --max-pixels.
     */
    private Picture enlarged(Picture picture) {
        int largest = Renderer.largestZoom(picture, maxPixels);
        if (zoom > largest) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "--zoom", zoom + " would enlarge the "
                    + picture.width() + "x" + picture.height() + " rendering to " + (long) picture.width() * zoom + "x"
                    + (long) picture.height() * zoom + ", more than --max-pixels (" + maxPixels + "); at most "
                    + largest + " here");
        }
        int auto = Math.min(AUTO_ZOOM_TARGET / picture.height(), 3 * AUTO_ZOOM_TARGET / picture.width());
        int factor = zoom > 0 ? zoom : Math.max(1, Math.min(auto, largest));
        return Renderer.enlarge(picture, factor, maxPixels);
    }

    private static void writeNpy(Map<String, String> written, String key, Path template, String stem,
                                 org.saliency4j.FloatTensor tensor) {
        if (template == null) {
            return;
        }
        Path path = OutputPaths.substitute(template, stem);
        try {
            createParent(path);
            NpyWriter.write(path, tensor);
        } catch (IOException e) {
            throw outputError(path, e);
        }
        written.put(key, path.toString());
    }

    private static void writeBytes(Path path, byte[] bytes) {
        try {
            createParent(path);
            Files.write(path, bytes);
        } catch (IOException e) {
            throw outputError(path, e);
        }
    }

    private static void createParent(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private static SaliencyException outputError(Path path, IOException e) {
        return new SaliencyException(SaliencyException.Kind.OUTPUT, path.toString(),
                "cannot be written (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }

    static List<RenderKind> renderKinds(String value) {
        if (value.trim().equalsIgnoreCase("all")) {
            return List.of(RenderKind.values());
        }
        try {
            return List.of(RenderKind.parse(value));
        } catch (SaliencyException e) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "--render",
                    "unknown value '" + value + "' (expected overlay, heatmap, panel or all)");
        }
    }

    /** A progress bar on stderr, only on a terminal and only for runs long enough to need one. */
    private ProgressBar progressBar(int count) {
        if (count < PROGRESS_THRESHOLD || System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("explain").setInitialMax(count)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }
}
