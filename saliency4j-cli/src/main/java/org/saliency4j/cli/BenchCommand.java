package org.saliency4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saliency4j.Cancellation;
import org.saliency4j.EngineSettings;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.Parallelism;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.Vocabulary;
import org.saliency4j.explain.Engine;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.internal.ParallelPasses;
import org.saliency4j.internal.image.Quantiles;
import org.saliency4j.internal.image.Renderer;
import org.saliency4j.io.PictureEncoder;
import org.saliency4j.method.Method;
import org.saliency4j.models.ShapesTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code saliency4j bench}: times the whole explain of a batch, from decoded pixels to 8-bit renderings on the host
 * (preprocessing, upload, forward, backward, map, colour map and blend), after a warm-up that is not counted; a
 * method other than vanilla also as a multiple of vanilla's time in the same run, at each execution batch
 * ({@code --chunk}). With {@code --images N}: a folder's throughput instead, N synthetic PNG files decoded,
 * explained, rendered and encoded as {@code explain} does a directory, by several workers x threads side by side.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time explaining a batch of images end to end, warm-up excluded; medians, as these machines are noisy.")
final class BenchCommand implements Callable<Integer> {
    private static final int WARMUP_ITERATIONS = 3;
    private static final int MAX_IMAGES = 10_000;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DeviceOptions deviceOptions;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--samples", descriptionKey = "samples")
    int samples;

    @Option(names = "--batch", defaultValue = "1", split = ",", paramLabel = "N[,N...]",
            description = "Images explained in one pass; several values sweep (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--chunk", split = ",", paramLabel = "N[,N...]",
            description = "Noisy copies and path points through the model at once (explain's --batch); several "
                    + "values sweep (default: the device's).")
    List<Integer> chunks;

    @Option(names = "--pass-threads", split = ",", paramLabel = "N[,N...]",
            description = "Threads that run one image's passes at once (noisy copies, path points); several values "
                    + "compare side by side, each method's cost a multiple of vanilla at the first (default: the "
                    + "engine's).")
    List<Integer> passThreads;

    @Option(names = "--iterations", defaultValue = "20", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--image-size", split = ",", paramLabel = "S[,S...]",
            description = "Side of the square model input; several values sweep (default: the model's).")
    List<Integer> imageSizes;

    @Option(names = "--images", paramLabel = "N", defaultValue = "0",
            description = "Folder mode: N synthetic PNG images, written to a temporary directory and explained as "
                    + "explain does a directory (decode, explain, overlay, PNG), images/s for each --parallel.")
    int images;

    @Option(names = "--parallel", split = ",", paramLabel = "WxT[,WxT...]",
            description = "Folder mode: workers x intra-op threads to compare in one run (default: 1x1, the policy's "
                    + "choice, and one worker on every core).")
    List<String> plans;

    @Option(names = "--repeats", defaultValue = "3",
            description = "Folder mode: passes over the images per plan; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--json", description = "Print one JSON object per measurement.")
    boolean json;

    @Mixin
    VerboseOption verbose;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        if (iterations < 1 || repeats < 1) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, iterations < 1 ? "--iterations" : "--repeats",
                    "must be at least 1");
        }
        // picocli reads "--batch ,," as no values at all: a sweep over nothing, which would print nothing.
        if (batches.isEmpty() || imageSizes != null && imageSizes.isEmpty() || chunks != null && chunks.isEmpty()
                || passThreads != null && passThreads.isEmpty()) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, batches.isEmpty() ? "--batch"
                    : chunks != null && chunks.isEmpty() ? "--chunk"
                    : passThreads != null && passThreads.isEmpty() ? "--pass-threads" : "--image-size",
                    "needs at least one value");
        }
        if (passThreads != null) {
            passThreads.forEach(Vocabulary.PASS_THREADS::check);
        }
        for (int b : batches) {
            if (b < 1 || b > 4096) {
                throw new SaliencyException(SaliencyException.Kind.OPTION, "--batch", "must be between 1 and 4096, got " + b);
            }
        }
        if (chunks != null) {
            for (int c : chunks) {
                if (c < 1 || c > 4096) {
                    throw new SaliencyException(SaliencyException.Kind.OPTION, "--chunk",
                            "must be between 1 and 4096, got " + c);
                }
            }
        }
        if (images < 0 || images > MAX_IMAGES) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "--images",
                    "must be between 0 (off) and " + MAX_IMAGES + ", got " + images);
        }
        if (images > 0) {
            return folder(parallelPlans());
        }
        List<Integer> sizes = imageSizes == null ? List.of(0) : imageSizes;
        for (int size : sizes) {
            if (size != 0 && (size < 8 || size > 2048)) {
                throw new SaliencyException(SaliencyException.Kind.OPTION, "--image-size",
                        "must be between 8 and 2048, got " + size);
            }
            // A model's warm-up and checks run at its input size: one load per size.
            ModelOptions options = deviceOptions.apply(ModelOptions.defaults()).withInputSize(size);
            try (SaliencyModel loaded = SaliencyModel.load(model.file(), options)) {
                Method method = methodOptions.method(samples, 0);
                for (int batch : batches) {
                    double[] vanilla = null;
                    for (int passes : passThreads == null ? List.of(0) : passThreads) {
                        if (passThreads != null) {
                            Engine.configure(EngineSettings.recommended().withThreads(deviceOptions.threads)
                                    .withPassThreads(passes));
                        }
                        // A method's cost as a multiple of one vanilla gradient's, measured beside it (at the
                        // first pass-thread count: with 1 first, the cost on one core).
                        if (vanilla == null) {
                            vanilla = method.equals(Method.vanilla()) ? new double[]{Double.NaN, Double.NaN}
                                    : measure(loaded, size, batch, Method.vanilla(), loaded.batch(),
                                    new double[]{Double.NaN, Double.NaN});
                        }
                        for (int chunk : chunks == null ? List.of(loaded.batch()) : chunks) {
                            measure(loaded, size, batch, method, chunk, vanilla);
                        }
                    }
                }
            }
        }
        return 0;
    }

    /** @return the median time, ms, and the median of this thread's CPU time */
    private double[] measure(SaliencyModel loaded, int size, int batch, Method method, int chunk, double[] vanilla)
            throws IOException {
        Preprocessing p = loaded.preprocessing();
        if (size != 0) {
            p = p.withSizes(Math.max(p.resize(), size), size);
        }
        // Already decoded and at the model's size: the figure is the model and the map, not JPEG decoding.
        p = p.withMode(Preprocessing.Mode.STRETCH);
        ShapesTask task = new ShapesTask(1);
        List<ImageInput> inputs = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            inputs.add(ImageInput.picture("bench-" + i, task.sample(i).image()));
        }
        ExplainRequest request = ExplainRequest.defaults().withPreprocessing(p)
                .withMethod(loaded.withLayer(method, p.size()));
        // The whole batch in one pass, and noisy copies and path points chunk at a time.
        int atOnce = Math.max(batch, chunk);
        for (int i = 0; i < WARMUP_ITERATIONS; i++) {
            iteration(loaded, inputs, request, atOnce);
        }
        double[] ms = new double[iterations];
        double[] cpuMs = new double[iterations];
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < iterations; i++) {
            long cpuStart = cpu.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            iteration(loaded, inputs, request, atOnce);
            ms[i] = (System.nanoTime() - start) / 1e6;
            cpuMs[i] = (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e6;
        }
        Arrays.sort(ms);
        Arrays.sort(cpuMs);
        // This thread's CPU time: libtorch's work with one intra-op thread (OpenBLAS's pool may add its own), and,
        // unlike the wall time, hardly changed by other processes on a shared machine.
        double cpuMedian = Quantiles.ofSorted(cpuMs, 0.5);
        double median = Quantiles.ofSorted(ms, 0.5);
        double p90 = Quantiles.ofSorted(ms, 0.9);
        double perSecond = batch * 1000.0 / median;
        double multiple = median / vanilla[0];
        double cpuMultiple = cpuMedian / vanilla[1];
        String device = loaded.info().device();
        if (json) {
            ObjectNode root = mapper.createObjectNode();
            root.put("model", model.model).put("device", device).put("method", method.spec()).put("batch", batch)
                    .put("chunk", atOnce).put("image_size", p.size()).put("iterations", iterations)
                    .put("median_ms", median).put("p90_ms", p90).put("min_ms", ms[0]).put("images_per_s", perSecond)
                    .put("pass_threads", ParallelPasses.threads());
            // This thread's CPU time is the whole cost only when it runs every pass itself.
            if (ParallelPasses.threads() == 1) {
                root.put("thread_cpu_ms", cpuMedian);
            }
            if (!Double.isNaN(multiple)) {
                root.put("vanilla_multiple", multiple);
                if (ParallelPasses.threads() == 1) {
                    root.put("vanilla_multiple_cpu", cpuMultiple);
                }
            }
            spec.commandLine().getOut().println(mapper.writeValueAsString(root));
        } else {
            spec.commandLine().getOut().printf(Locale.ROOT,
                    "%s on %s, %s, batch %d of %dx%d, chunk %d, pass threads %d, %d iterations: median %.2f ms, "
                            + "p90 %.2f ms, min %.2f ms, %.1f images/s%s%s%n",
                    model.model, device, method.spec(), batch, p.size(), p.size(), atOnce, ParallelPasses.threads(),
                    iterations, median, p90, ms[0], perSecond, ParallelPasses.threads() == 1
                            ? String.format(Locale.ROOT, ", this thread's CPU %.2f ms", cpuMedian) : "",
                    Double.isNaN(multiple) ? "" : String.format(Locale.ROOT, ", %.2fx vanilla%s", multiple,
                            ParallelPasses.threads() == 1
                                    ? String.format(Locale.ROOT, " (CPU time: %.2fx)", cpuMultiple) : ""));
        }
        return new double[]{median, cpuMedian};
    }

    /** Explains the batch and renders each overlay to 8-bit pixels on the host. */
    private static void iteration(SaliencyModel model, List<ImageInput> batch, ExplainRequest request, int atOnce) {
        for (Explanation e : model.explainBatch(batch, request, atOnce, Cancellation.NEVER)) {
            Picture overlay = e.render(RenderOptions.defaults());
            if (overlay.width() == 0) {
                throw new IllegalStateException("empty rendering");
            }
        }
    }

    /** The --parallel plans, or 1x1, the policy's choice, and one worker on every core (each once). */
    private List<Parallelism> parallelPlans() {
        if (plans != null) {
            if (plans.isEmpty()) {
                throw new SaliencyException(SaliencyException.Kind.OPTION, "--parallel", "needs at least one value");
            }
            return plans.stream().map(BenchCommand::plan).toList();
        }
        int cores = Runtime.getRuntime().availableProcessors();
        // One worker on every core last in each round: its intra-op pool's threads may spin briefly after it.
        return new ArrayList<>(new LinkedHashSet<>(List.of(new Parallelism(1, 1), deviceOptions.plan(0),
                new Parallelism(1, Math.min(cores, EngineSettings.maxThreads())))));
    }

    private static Parallelism plan(String text) {
        String[] parts = text.trim().split("x", -1);
        try {
            if (parts.length == 2) {
                return new Parallelism(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // Reported below with the expected form.
        } catch (SaliencyException e) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "--parallel", text + ": " + e.getMessage());
        }
        throw new SaliencyException(SaliencyException.Kind.OPTION, "--parallel",
                "expected WORKERSxTHREADS such as 2x1, got '" + text + "'");
    }

    /**
     * Folder mode: the synthetic images written once as PNG files, then an untimed pass and {@code --repeats} timed
     * passes over them per plan, the plans taking turns; images/s is the median pass's.
     */
    private int folder(List<Parallelism> runs) throws IOException {
        Path directory = Files.createTempDirectory("saliency4j-bench-");
        try {
            Method method = methodOptions.method(samples, 0);
            long passes = method.passes(ExplainCommand.NOMINAL_WORKLOAD);
            ModelOptions options = deviceOptions.apply(ModelOptions.defaults(), runs.get(0), passes);
            try (SaliencyModel loaded = SaliencyModel.load(model.file(), options)) {
                List<ImageInput> files = writeImages(directory, loaded.preprocessing().resize());
                ExplainRequest request = ExplainRequest.defaults()
                        .withMethod(loaded.withLayer(method, loaded.preprocessing().size()));
                // Each plan's workers live through the run, and the plans take turns pass by pass, so that a shared
                // machine's drift falls on all of them; each plan's ratio to the first is the median of the ratios
                // of passes made side by side.
                List<OrderedWorkers> workers = new ArrayList<>();
                try {
                    runs.forEach(run -> workers.add(new OrderedWorkers(run)));
                    double[][] perSecond = new double[runs.size()][repeats];
                    // Round -1, untimed: the JVM's compilers and libtorch's profiling executor settle on each plan's
                    // threads (measured: a shorter warm-up halved the first plan's figure).
                    for (int round = -1; round < repeats; round++) {
                        for (int p = 0; p < runs.size(); p++) {
                            Engine.configure(runs.get(p).engineSettings(EngineSettings.recommended(), passes));
                            long start = System.nanoTime();
                            pass(loaded, files, request, workers.get(p));
                            if (round >= 0) {
                                perSecond[p][round] = files.size() / ((System.nanoTime() - start) / 1e9);
                            }
                        }
                    }
                    for (int p = 0; p < runs.size(); p++) {
                        double[] ratios = new double[repeats];
                        for (int i = 0; i < repeats; i++) {
                            ratios[i] = perSecond[p][i] / perSecond[0][i];
                        }
                        Arrays.sort(ratios);
                        double[] sorted = perSecond[p].clone();
                        Arrays.sort(sorted);
                        report(loaded, request.method(), runs.get(p), Quantiles.ofSorted(sorted, 0.5), sorted,
                                Quantiles.ofSorted(ratios, 0.5));
                    }
                } finally {
                    workers.forEach(OrderedWorkers::close);
                }
            }
        } finally {
            try (var written = Files.list(directory)) {
                for (Path file : written.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(directory);
        }
        return 0;
    }

    /** The demo task's shapes, enlarged to the model's resize, as PNG files: decoding costs what a photo's would. */
    private List<ImageInput> writeImages(Path directory, int side) throws IOException {
        ShapesTask task = new ShapesTask(1);
        int factor = Math.max(1, (side + ShapesTask.SIZE - 1) / ShapesTask.SIZE);
        List<ImageInput> files = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            Path file = directory.resolve(String.format(Locale.ROOT, "image-%05d.png", i));
            Files.write(file, PictureEncoder.png(Renderer.enlarge(task.sample(i).image(), factor, Long.MAX_VALUE)));
            files.add(ImageInput.file(file));
        }
        return files;
    }

    /** One pass over the files as {@code explain} makes it: decode, explain, render the overlay, encode a PNG. */
    private static void pass(SaliencyModel loaded, List<ImageInput> files, ExplainRequest request,
            OrderedWorkers workers) {
        workers.map(files, file -> PictureEncoder.png(loaded.explain(file, request)
                .render(RenderOptions.defaults())), png -> {
            if (png.length == 0) {
                throw new IllegalStateException("empty rendering");
            }
        });
    }

    private void report(SaliencyModel loaded, Method method, Parallelism run, double median, double[] sorted,
            double ratioToFirst) throws IOException {
        String device = loaded.info().device();
        if (json) {
            ObjectNode root = mapper.createObjectNode();
            root.put("model", model.model).put("device", device).put("method", method.spec()).put("images", images)
                    .put("workers", run.workers()).put("threads", run.threads()).put("repeats", repeats)
                    .put("images_per_s", median).put("min_images_per_s", sorted[0])
                    .put("max_images_per_s", sorted[sorted.length - 1]).put("ratio_to_first", ratioToFirst);
            spec.commandLine().getOut().println(mapper.writeValueAsString(root));
        } else {
            spec.commandLine().getOut().printf(Locale.ROOT,
                    "%s on %s, %s, %d images, %s (workers x threads), %d repeats: median %.1f images/s "
                            + "(%.1f to %.1f), %.2fx the first plan%n", model.model, device, method.spec(), images, run,
                    repeats, median, sorted[0], sorted[sorted.length - 1], ratioToFirst);
        }
    }
}
