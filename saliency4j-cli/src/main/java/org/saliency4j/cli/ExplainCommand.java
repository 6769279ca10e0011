package org.saliency4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.saliency4j.Baseline;
import org.saliency4j.ClassLabels;
import org.saliency4j.ColorMap;
import org.saliency4j.EngineSettings;
import org.saliency4j.Geometry;
import org.saliency4j.ImageFormat;
import org.saliency4j.ImageInput;
import org.saliency4j.ImageLimits;
import org.saliency4j.ModelOptions;
import org.saliency4j.Normalization;
import org.saliency4j.Parallelism;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;
import org.saliency4j.Reduction;
import org.saliency4j.RenderKind;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.Score;
import org.saliency4j.Target;
import org.saliency4j.Vocabulary;
import org.saliency4j.explain.Engine;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.internal.image.Renderer;
import org.saliency4j.io.AtomicFiles;
import org.saliency4j.io.NpyWriter;
import org.saliency4j.io.PictureEncoder;
import org.saliency4j.method.Method;
import org.saliency4j.method.Workload;
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
    /**
     * A model input and layer to count a method's passes on before the model is loaded: whether it makes more than
     * one pass per image is what the engine's pass threads are chosen by.
     */
    static final Workload NOMINAL_WORKLOAD = new Workload(224, 224, 2);

    private static final int PROGRESS_THRESHOLD = 3;
    private static final String SAMPLE_NAME = "demo-sample";
    private static final int AUTO_ZOOM_TARGET = 256;
    /** The .npy outputs' keys in the JSON record's {@code outputs}. */
    private static final String RAW_GRADIENT = "raw_gradient";
    private static final String ATTRIBUTION = "attribution_npy";
    private static final String SALIENCY = "saliency_npy";
    private static final String INPUT = "input_npy";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--image", paramLabel = "FILE|DIR",
            description = "Image file or directory of images; repeat for several (default: the demo task's sample).")
    List<Path> images;

    @Mixin
    DeviceOptions deviceOptions;

    @Mixin
    MethodOptions methodOptions;

    @Mixin
    ChunkOption chunk;

    @Option(names = "--workers", paramLabel = "N", description = "Images explained at once on CPU, each by its own "
            + "thread with --threads intra-op threads; outputs and reports keep the images' order. 0: one worker "
            + "per core, up to " + Parallelism.MAX_WORKERS + " (then more threads each); on CUDA, one "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int workers;

    @Option(names = "--samples", descriptionKey = "samples")
    int samples;

    @Option(names = "--seed", descriptionKey = "seed")
    long seed;

    @Option(names = "--preprocess", descriptionKey = "preprocess", paramLabel = "MODE")
    Preprocessing.Mode preprocess;

    @Option(names = "--resize", descriptionKey = "resize")
    Integer resize;

    @Option(names = "--input-size", descriptionKey = "input-size")
    Integer inputSize;

    @Option(names = "--mean", split = ",", paramLabel = "R,G,B", description = "Normalisation mean (default: ImageNet's).")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "R,G,B", description = "Normalisation std (default: ImageNet's).")
    float[] std;

    @Option(names = "--topk", descriptionKey = "topk")
    int topK;

    @Option(names = "--labels", paramLabel = "FILE", description = "Class names, one a line, one line per class of the model, no name twice "
            + "(default: ImageNet's for 1000 classes, else indices).")
    Path labels;

    @Option(names = "--target", descriptionKey = "target", paramLabel = "TARGET[,TARGET...]")
    String target;

    @Option(names = "--score", descriptionKey = "score")
    Score score;

    @Option(names = "--reduce", descriptionKey = "reduce", paramLabel = "RULE")
    Reduction reduce;

    @Option(names = "--normalize", descriptionKey = "normalize", paramLabel = "RULE")
    Normalization normalize;

    @Option(names = "--render", descriptionKey = "render", paramLabel = "KIND")
    String render;

    @Option(names = "--colormap", descriptionKey = "colormap")
    ColorMap colormap;

    @Option(names = "--alpha", descriptionKey = "alpha")
    double alpha;

    @Option(names = "--vmin", descriptionKey = "vmin", converter = VocabularyOptions.WindowEnd.class)
    double vmin;

    @Option(names = "--vmax", descriptionKey = "vmax", converter = VocabularyOptions.WindowEnd.class)
    double vmax;

    @Option(names = "--mix", descriptionKey = "mix")
    double mix;

    @Option(names = "--geometry", descriptionKey = "geometry")
    Geometry geometry;

    @Option(names = "--zoom", defaultValue = "0", description = "Enlarge renderings N times (nearest neighbour); "
            + "0: enough for small inputs such as the demo's 64x64 to be at least " + AUTO_ZOOM_TARGET + " px high.")
    int zoom;

    @Option(names = "--out", paramLabel = "FILE|DIR", description = "PNG or JPEG file (may contain {name}) or "
            + "directory (a trailing / creates it) (default: <image-stem>-saliency.png here). Files are written whole "
            + "or not at all. A run whose outputs would replace an input, or each other (x.png and x.jpg, or a/x.png "
            + "and b/x.png, both give x), is refused before anything runs.")
    String out;

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

    @Option(names = "--max-pixels", descriptionKey = "max-pixels")
    long maxPixels;

    @Mixin
    VerboseOption verbose;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() {
        if (zoom < 0 || zoom > 64) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "--zoom", "must be between 0 and 64, got " + zoom);
        }
        List<RenderKind> kinds = renderKinds(render);
        Method method = methodOptions.method(samples, seed);
        RenderOptions renderOptions = new RenderOptions(kinds.get(0), colormap, alpha, vmin, vmax, mix, geometry);
        List<Target> targets = Target.parseAll(target);
        List<ImageJob> jobs = jobs();
        int results = jobs.size() * targets.size();
        OutputPaths outputs = OutputPaths.of(out, results);
        OutputPaths.requireTemplate("--raw-gradient", rawGradient, results);
        OutputPaths.requireTemplate("--saliency-npy", saliencyNpy, results);
        OutputPaths.requireTemplate("--attribution-npy", attributionNpy, results);
        OutputPaths.requireTemplate("--save-input", saveInput, results);
        OutputGuard guard = new OutputGuard(inputFiles(jobs, method));
        guard.plan(jobs.stream().filter(job -> job.problem() == null)
                .flatMap(job -> outputsOf(job, job.stem(), kinds, outputs).stream()).toList());
        // No more workers than images, decided before the engine is configured for them.
        Parallelism policy = deviceOptions.plan(workers);
        Parallelism plan = workers == 0 && jobs.size() < policy.workers()
                ? new Parallelism(Math.max(1, jobs.size()), policy.threads()) : policy;
        ModelOptions modelOptions = chunk.apply(deviceOptions.apply(ModelOptions.defaults(), plan,
                        method.passes(NOMINAL_WORKLOAD)))
                .withInputSize(inputSize == null ? 0 : inputSize)
                .withLimits(new ImageLimits(ImageLimits.defaults().maxBytes(), maxPixels))
                .withLabels(labels == null ? null : ClassLabels.fromFile(labels)).withName(model.model);

        int failures = 0;
        try (SaliencyModel saliency = SaliencyModel.load(model.file(), modelOptions)) {
            targets.forEach(t -> t.validate(saliency.labels()));
            Preprocessing preprocessing = preprocessing(saliency.preprocessing());
            // An unknown layer fails the command once, before any image.
            ExplainRequest request = new ExplainRequest(saliency.withLayer(method, preprocessing.size()), targets.get(0),
                    score, topK, preprocessing, reduce, normalize);
            // So does a method that does not fit the input (an occlusion window larger than it), its cost counted.
            saliency.passes(request);
            // On CUDA the device is the bottleneck: one worker keeps it busy unless more were asked for, and a
            // method's batches go to it one at a time (pass threads would hold several on the device at once).
            if (!saliency.info().device().equals("cpu")) {
                Engine.configure(plan.engineSettings(EngineSettings.recommended(), 1));
            }
            int wanted = workers == 0 && saliency.info().device().startsWith("cuda") ? 1 : plan.workers();
            Parallelism run = new Parallelism(Math.max(1, Math.min(wanted, jobs.size())), plan.threads());
            int[] failed = {0};
            try (ProgressBar progress = progressBar(jobs.size())) {
                OrderedWorkers.run(jobs, run,
                        job -> explainOne(saliency, job, request, targets, kinds, renderOptions, outputs),
                        outcome -> {
                            failed[0] += write(outcome, guard) ? 0 : 1;
                            if (progress != null) {
                                progress.step();
                            }
                        });
            }
            failures = failed[0];
        }
        if (failures > 0) {
            spec.commandLine().getErr().println("saliency4j: " + failures + " of " + jobs.size() + " images failed");
            return Main.EXIT_FAILED;
        }
        return 0;
    }

    /**
     * One image to explain and the stem its outputs are named after; or, with a {@code problem}, an argument that
     * fails in its turn (a directory that cannot be listed).
     */
    private record ImageJob(String stem, ImageInput input, String problem) {
    }

    /** The given images, or the demo task's sample when none are given. */
    private List<ImageJob> jobs() {
        if (images == null || images.isEmpty()) {
            return List.of(new ImageJob(SAMPLE_NAME, ImageInput.picture(SAMPLE_NAME, BuiltinModels.demoSample().image()),
                    null));
        }
        List<ImageFiles.Entry> entries = ImageFiles.expand(images);
        if (entries.isEmpty()) {
            throw new SaliencyException(SaliencyException.Kind.IMAGE, String.valueOf(images), "no image files found");
        }
        return entries.stream().map(e -> new ImageJob(ImageFiles.stem(e.path()), ImageInput.file(e.path()),
                e.problem())).toList();
    }

    /** Every file the run reads: the images, the model and its weights, the labels, a baseline image. */
    private List<Path> inputFiles(List<ImageJob> jobs, Method method) {
        List<Path> files = new ArrayList<>();
        jobs.forEach(job -> {
            if (job.input() instanceof ImageInput.File file) {
                files.add(file.path());
            }
        });
        files.add(Path.of(model.model));
        if (model.weights != null) {
            files.add(model.weights);
        }
        if (labels != null) {
            files.add(labels);
        }
        method.reference().map(Baseline::file).ifPresent(files::add);
        return files;
    }

    /**
     * The files one result writes, in the order they are written: the renderings, then the .npy outputs. Both the
     * check before the run and the writing use this list.
     *
     * @param stem the image's stem, with the class index added when there are several targets
     */
    private List<OutputGuard.Output> outputsOf(ImageJob job, String stem, List<RenderKind> kinds, OutputPaths outputs) {
        String image = job.input().name();
        List<OutputGuard.Output> files = new ArrayList<>();
        for (RenderKind kind : kinds) {
            files.add(new OutputGuard.Output("--out", kind.name().toLowerCase(Locale.ROOT),
                    outputs.rendering(stem, kind, kinds.size() > 1), image));
        }
        addNpy(files, "--raw-gradient", RAW_GRADIENT, rawGradient, stem, image);
        addNpy(files, "--attribution-npy", ATTRIBUTION, attributionNpy, stem, image);
        addNpy(files, "--saliency-npy", SALIENCY, saliencyNpy, stem, image);
        addNpy(files, "--save-input", INPUT, saveInput, stem, image);
        return files;
    }

    private static void addNpy(List<OutputGuard.Output> files, String option, String key, Path template, String stem,
                               String image) {
        if (template != null) {
            files.add(new OutputGuard.Output(option, key, OutputPaths.substitute(template, stem), image));
        }
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

    /**
     * One image's work as a worker leaves it: each target's explanation and its files' bytes, in the order they are
     * written; and what failed, if anything (then the last result may hold only the files encoded before the
     * failing one, {@code failedFile}, or there are no results when the explanation itself failed).
     */
    private record Outcome(ImageJob job, List<Result> results, Throwable failure) {
    }

    /** One target's explanation, its files encoded, and the time from the image's start to its last file. */
    private record Result(Explanation explanation, List<Encoded> files, OutputGuard.Output failedFile,
                          double totalMs) {
    }

    private record Encoded(OutputGuard.Output file, byte[] bytes) {
    }

    /**
     * A worker's part: explains one image and encodes its outputs. Whatever fails here is kept in the outcome and
     * fails this image only, in its turn: a bad image, a model that fails on this input (its forward raises, its
     * scores are NaN), a rendering too large, even memory running out. Only loading the model ends a run.
     */
    private Outcome explainOne(SaliencyModel saliency, ImageJob job, ExplainRequest request, List<Target> targets,
                               List<RenderKind> kinds, RenderOptions renderOptions, OutputPaths outputs) {
        List<Result> results = new ArrayList<>();
        if (job.problem() != null) {
            return new Outcome(job, results, null);
        }
        try {
            long start = System.nanoTime();
            for (Explanation explanation : saliency.explainTargets(job.input(), request, targets)) {
                String stem = targets.size() > 1 ? job.stem() + "-" + explanation.target().index() : job.stem();
                List<Encoded> files = new ArrayList<>();
                for (OutputGuard.Output file : outputsOf(job, stem, kinds, outputs)) {
                    try {
                        files.add(new Encoded(file, content(explanation, file, renderOptions)));
                    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                        results.add(new Result(explanation, files, file, 0));
                        return new Outcome(job, results, e);
                    }
                }
                results.add(new Result(explanation, files, null, (System.nanoTime() - start) / 1e6));
            }
            return new Outcome(job, results, null);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            return new Outcome(job, results, e);
        }
    }

    /**
     * The calling thread's part, in the images' order: writes an outcome's files, each claimed from the guard
     * first (as one worker alone wrote them: a file that fails to encode is still claimed before its failure is
     * reported), and reports each result or the failure on one line naming the image.
     */
    private boolean write(Outcome outcome, OutputGuard guard) {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        String image = outcome.job().input().name();
        if (outcome.job().problem() != null) {
            report(image, image + ": " + outcome.job().problem(), null, stdout, stderr);
            return false;
        }
        try {
            for (Result result : outcome.results()) {
                Map<String, String> written = new LinkedHashMap<>();
                for (Encoded file : result.files()) {
                    guard.claim(file.file());
                    writeFile(file.file().path(), file.bytes());
                    written.put(file.file().key(), file.file().path().toString());
                }
                if (result.failedFile() != null) {
                    guard.claim(result.failedFile());
                    break;
                }
                stdout.println(json ? JsonRecords.explanation(mapper, result.explanation(), written, result.totalMs())
                        : TextReport.explanation(result.explanation(), written, result.totalMs()));
            }
            if (outcome.failure() == null) {
                return true;
            }
            report(image, message(image, outcome.failure()), outcome.failure(), stdout, stderr);
        } catch (SaliencyException e) {
            report(image, message(image, e), e, stdout, stderr);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            report(image, image + ": " + Main.describe(e, spec), e, stdout, stderr);
        }
        return false;
    }

    /** One line naming the image: the library's errors name it already; the model's and the outputs' get it. */
    private String message(String image, Throwable failure) {
        if (failure instanceof SaliencyException e) {
            return e.input().equals(image) ? e.getMessage()
                    : image + ": " + (e.kind() == SaliencyException.Kind.MODEL ? "model " : "") + e.getMessage();
        }
        // Not a known failure: still only this image fails, and one line says what happened.
        return image + ": " + Main.describe(failure, spec);
    }

    private void report(String image, String message, Throwable e, PrintWriter stdout, PrintWriter stderr) {
        stderr.println("saliency4j: " + message);
        if (verbose.verbose && e != null) {
            e.printStackTrace(stderr);
        }
        if (json) {
            stdout.println(JsonRecords.failure(mapper, image, message));
        }
    }

    private byte[] content(Explanation explanation, OutputGuard.Output file, RenderOptions renderOptions) {
        return switch (file.key()) {
            case RAW_GRADIENT -> NpyWriter.bytes(explanation.gradient());
            case ATTRIBUTION -> NpyWriter.bytes(explanation.attribution());
            case SALIENCY -> NpyWriter.bytes(explanation.map().toTensor());
            case INPUT -> NpyWriter.bytes(explanation.input());
            default -> PictureEncoder.encode(
                    enlarged(explanation.render(renderOptions.withKind(RenderKind.parse(file.key())))),
                    ImageFormat.forFile(file.path()));
        };
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

    /** Writes the file whole or not at all: a full disk leaves the previous file, never a truncated one. */
    private static void writeFile(Path path, byte[] bytes) {
        try {
            AtomicFiles.write(path, bytes);
        } catch (IOException e) {
            throw new SaliencyException(SaliencyException.Kind.OUTPUT, path.toString(),
                    "cannot be written (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    static List<RenderKind> renderKinds(String value) {
        if (value.trim().equalsIgnoreCase("all")) {
            return List.of(RenderKind.values());
        }
        try {
            return List.of(RenderKind.parse(value));
        } catch (SaliencyException e) {
            throw Vocabulary.RENDER.invalid("unknown value '" + value + "' (expected overlay, heatmap, panel or all)");
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
