package org.saliency4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.saliency4j.Baseline;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.eval.Faithfulness;
import org.saliency4j.eval.FaithfulnessSummary;
import org.saliency4j.eval.SanityCheck;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.io.AtomicFiles;
import org.saliency4j.method.Method;
import org.saliency4j.method.Methods;
import org.saliency4j.models.ShapesTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code saliency4j eval faithfulness}: deletion and insertion curves, the random-logit test and infidelity for
 * several methods, beside a random map and an edge detector; on the demo task also the pointing game and the
 * sanity check. Every bound is checked before any image is read (the options' before the model is loaded, the
 * step's against the model's input size after); an image that fails is one line and the run goes on.
 */
@Command(name = "faithfulness", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Deletion and insertion curves (RISE protocol; most and least relevant pixels first), the "
                + "random-logit test and Captum's infidelity for each method, beside a uniformly random map and the "
                + "Sobel edges of the image, on images of the demo task (with the pointing game and the sanity "
                + "check) or on --images (the model's top class, no ground truth). Prints a Markdown table of the "
                + "means, or with --json a JSON line per image and method and one per method's means.")
final class FaithfulnessCommand implements Callable<Integer> {
    static final int MAX_DEMO_SAMPLES = 10_000;
    static final int MAX_IMAGES = 100_000;
    static final int MAX_SANITY_SAMPLES = 1_000;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--images", paramLabel = "FILE|DIR", arity = "1..*",
            description = "Images or directories of images to evaluate on (the model's most probable class); "
                    + "without them, images of the demo task.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--samples", defaultValue = "20",
            description = "Demo task images to draw when no --images are given (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--max-images", defaultValue = "1000",
            description = "Refuse --images that name more image files than this (default: ${DEFAULT-VALUE}).")
    int maxImages;

    @Option(names = "--methods", split = ",", paramLabel = "METHOD[,METHOD...]",
            description = "Methods to evaluate, as --method names them (default: every method of the registry).")
    List<String> methods;

    @Mixin
    MethodParameterOptions methodParameters;

    @Option(names = "--noise-samples", descriptionKey = "samples")
    int noiseSamples;

    @Option(names = "--step", defaultValue = "0", paramLabel = "PIXELS",
            description = "Pixels deleted or revealed per step; 0 for the input's side, RISE's 224 at 224x224 "
                    + "(default: ${DEFAULT-VALUE}).")
    int step;

    @Option(names = "--deletion-baseline", defaultValue = "zero", paramLabel = "zero|black|blur|uniform|FILE",
            description = "What deleted pixels become; zero is the dataset's mean colour (default: ${DEFAULT-VALUE}).")
    Baseline deletionBaseline;

    @Option(names = "--insertion-baseline", defaultValue = "blur", paramLabel = "zero|black|blur|uniform|FILE",
            description = "What the insertion curve starts from (default: ${DEFAULT-VALUE}).")
    Baseline insertionBaseline;

    @Option(names = "--infidelity-std", defaultValue = "0.1", paramLabel = "SIGMA",
            description = "Standard deviation of infidelity's Gaussian perturbations, in normalised input units "
                    + "(default: ${DEFAULT-VALUE}).")
    double infidelityStd;

    @Option(names = "--infidelity-samples", defaultValue = "32",
            description = "Perturbations per image for infidelity (default: ${DEFAULT-VALUE}).")
    int infidelitySamples;

    @Option(names = "--infidelity-normalize", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Scale each attribution by Captum's least-squares beta first (captum's normalize=True), so "
                    + "that methods of different scales compare (default: ${DEFAULT-VALUE}).")
    boolean normalizeInfidelity;

    @Option(names = "--sanity-samples", defaultValue = "10",
            description = "Demo task images for the model-randomisation check of each method; 0 skips it "
                    + "(default: ${DEFAULT-VALUE}).")
    int sanitySamples;

    @Option(names = "--seed", defaultValue = "7",
            description = "Seeds the images, the random maps, the perturbations and the other classes "
                    + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ChunkOption chunk;

    @Mixin
    DeviceOptions deviceOptions;

    @Option(names = "--json", description = "Print JSON lines instead of the table.")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Also write the JSON lines to this file, whole or not at all.")
    Path out;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws IOException {
        boolean demo = images.isEmpty();
        requireBetween("samples", samples, 1, MAX_DEMO_SAMPLES);
        requireBetween("max-images", maxImages, 1, MAX_IMAGES);
        requireBetween("sanity-samples", sanitySamples, 0, MAX_SANITY_SAMPLES);
        List<Method> named = methods();
        List<Method> chosen = new ArrayList<>(named);
        Faithfulness.Settings settings = new Faithfulness.Settings(step, deletionBaseline, insertionBaseline,
                infidelityStd, infidelitySamples, normalizeInfidelity, seed);
        if (out != null && Files.isDirectory(out)) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "--out", "is a directory: " + out);
        }
        List<ImageFiles.Entry> files = demo ? List.of() : ImageFiles.expand(images);
        if (files.size() > maxImages) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "--images", "name " + files.size()
                    + " image files, more than --max-images " + maxImages);
        }
        Path modelFile = model.file();
        ModelOptions options = chunk.apply(deviceOptions.apply(ModelOptions.defaults())).withName(model.model);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        FaithfulnessReport report = new FaithfulnessReport();
        FaithfulnessSummary summary = new FaithfulnessSummary();
        List<String> lines = new ArrayList<>();
        int failures = 0;
        try (SaliencyModel loaded = SaliencyModel.load(modelFile, options)) {
            if (methods == null || methods.isEmpty()) {
                chosen.retainAll(runnable(loaded, named, stderr));
            }
            Faithfulness faithfulness = new Faithfulness(loaded, chosen, settings);
            ShapesTask task = new ShapesTask(seed);
            int count = demo ? samples : files.size();
            for (int i = 0; i < count; i++) {
                int index = i;
                String name = demo ? "sample-" + i : files.get(i).path().toString();
                Supplier<List<Faithfulness.Row>> evaluation = demo
                        ? () -> faithfulness.evaluate(task.sample(index), index)
                        : () -> faithfulness.evaluate(ImageInput.file(files.get(index).path()), index);
                List<String> imageLines = new ArrayList<>();
                try {
                    if (!demo && files.get(i).failed()) {
                        throw new SaliencyException(SaliencyException.Kind.IMAGE, name, files.get(i).problem());
                    }
                    for (Faithfulness.Row row : evaluation.get()) {
                        summary.add(row);
                        imageLines.add(report.row(row));
                        failures += row.ok() ? 0 : 1;
                    }
                } catch (RuntimeException e) {
                    // The image itself (its file, its decoding) failed: one line naming it, and the next one runs.
                    imageLines = List.of(report.failure(name, Main.describe(e, spec)));
                    failures++;
                    if (!json) {
                        stderr.println("saliency4j: " + name + ": " + Main.describe(e, spec));
                    }
                }
                lines.addAll(imageLines);
                if (json) {
                    imageLines.forEach(stdout::println);
                    stdout.flush();
                }
            }
        }
        Map<String, FaithfulnessReport.Sanity> sanity = demo ? sanity(modelFile, options, chosen, stderr) : Map.of();
        Map<String, Object> run = runSettings(settings, demo);
        if (!json) {
            stdout.println(FaithfulnessReport.tableHeader());
        }
        for (FaithfulnessSummary.Line line : summary.lines()) {
            FaithfulnessReport.Sanity s = sanity.getOrDefault(line.method(), FaithfulnessReport.Sanity.NONE);
            String summaryLine = report.summary(line, s, run);
            lines.add(summaryLine);
            stdout.println(json ? summaryLine : FaithfulnessReport.tableRow(line, s));
        }
        if (out != null) {
            AtomicFiles.write(out, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (failures > 0) {
            stderr.println("saliency4j: " + failures + " image or method evaluations failed");
            return Main.EXIT_FAILED;
        }
        return 0;
    }

    /**
     * The methods of the default list this model can run, the others (the rollouts on a model that exposes no
     * attention) left out, each with one line saying why; a method named by {@code --methods} is run, and fails,
     * as asked.
     */
    private static List<Method> runnable(SaliencyModel model, List<Method> all, PrintWriter stderr) {
        List<Method> kept = new ArrayList<>();
        for (Method method : all) {
            try {
                model.passes(ExplainRequest.defaults().withMethod(method));
                kept.add(method);
            } catch (SaliencyException e) {
                if (e.kind() != SaliencyException.Kind.MODEL) {
                    throw e;
                }
                stderr.println("saliency4j: " + method.spec() + " left out: " + e.problem());
            }
        }
        return kept;
    }

    /** The methods named, or every one of the registry, parsed before any work. */
    private List<Method> methods() {
        List<String> names = methods == null || methods.isEmpty()
                ? Methods.all().stream().map(Methods.Info::name).toList() : methods;
        List<Method> parsed = new ArrayList<>();
        for (String name : names) {
            try {
                parsed.add(methodParameters.method(name, noiseSamples, seed));
            } catch (SaliencyException e) {
                if (!"method".equals(e.input())) {
                    throw e;
                }
                throw new SaliencyException(SaliencyException.Kind.OPTION, "methods", e.problem());
            }
        }
        return parsed;
    }

    /**
     * Each method's model-randomisation check on the demo task: the rank correlation with the intact model's maps
     * once the classifier is re-drawn, and once every layer is. A method the check cannot run gets none.
     */
    private Map<String, FaithfulnessReport.Sanity> sanity(Path modelFile, ModelOptions options, List<Method> chosen,
                                                          PrintWriter stderr) {
        Map<String, FaithfulnessReport.Sanity> figures = new LinkedHashMap<>();
        if (sanitySamples == 0) {
            return figures;
        }
        for (Method method : chosen) {
            try {
                List<SanityCheck.Step> steps = SanityCheck.run(modelFile, options, method, seed, sanitySamples);
                figures.put(method.spec(), new FaithfulnessReport.Sanity(steps.get(0).spearman(),
                        steps.get(steps.size() - 1).spearman()));
            } catch (RuntimeException e) {
                stderr.println("saliency4j: sanity check of " + method.spec() + ": " + Main.describe(e, spec));
            }
        }
        return figures;
    }

    private Map<String, Object> runSettings(Faithfulness.Settings s, boolean demo) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model", model.model);
        run.put("task", demo ? "demo" : "images");
        run.put("step", s.step());
        run.put("deletion_baseline", s.deletionBaseline().toString());
        run.put("insertion_baseline", s.insertionBaseline().toString());
        run.put("infidelity_std", s.infidelityStd());
        run.put("infidelity_samples", s.infidelitySamples());
        run.put("infidelity_normalize", s.normalizeInfidelity());
        run.put("seed", s.seed());
        return run;
    }

    /** Spelled as options, not parameters: eval's {@code samples} would otherwise read as {@code --noise-samples}. */
    private static void requireBetween(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "--" + option, "must be between " + min + " and "
                    + max + ", got " + value);
        }
    }
}
