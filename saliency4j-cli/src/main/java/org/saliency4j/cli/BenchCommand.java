package org.saliency4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saliency4j.Cancellation;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.internal.image.Quantiles;
import org.saliency4j.method.Method;
import org.saliency4j.models.ShapesTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code saliency4j bench}: times the whole explain of a batch, from decoded pixels to 8-bit renderings on the host
 * (preprocessing, upload, forward, backward, map, colour map and blend), after a warm-up that is not counted.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time explaining a batch of images end to end, warm-up excluded; medians, as these machines are noisy.")
final class BenchCommand implements Callable<Integer> {
    private static final int WARMUP_ITERATIONS = 3;

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

    @Option(names = "--iterations", defaultValue = "20", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--image-size", split = ",", paramLabel = "S[,S...]",
            description = "Side of the square model input; several values sweep (default: the model's).")
    List<Integer> imageSizes;

    @Option(names = "--json", description = "Print one JSON object per measurement.")
    boolean json;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws IOException {
        if (iterations < 1) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "--iterations", "must be at least 1");
        }
        // picocli reads "--batch ,," as no values at all: a sweep over nothing, which would print nothing.
        if (batches.isEmpty() || imageSizes != null && imageSizes.isEmpty()) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, batches.isEmpty() ? "--batch" : "--image-size",
                    "needs at least one value");
        }
        for (int b : batches) {
            if (b < 1 || b > 4096) {
                throw new SaliencyException(SaliencyException.Kind.OPTION, "--batch", "must be between 1 and 4096, got " + b);
            }
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
                for (int batch : batches) {
                    measure(loaded, size, batch);
                }
            }
        }
        return 0;
    }

    private void measure(SaliencyModel loaded, int size, int batch) throws IOException {
        Method method = methodOptions.method(samples, 0);
        Preprocessing p = loaded.preprocessing();
        if (size != 0) {
            p = p.withSizes(Math.max(p.resize(), size), size);
        }
        // Already decoded and at the model's size: the figure is the model and the map, not JPEG decoding.
        p = p.withMode(Preprocessing.Mode.STRETCH);
        ShapesTask task = new ShapesTask(1);
        List<ImageInput> images = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            images.add(ImageInput.picture("bench-" + i, task.sample(i).image()));
        }
        ExplainRequest request = ExplainRequest.defaults().withPreprocessing(p)
                .withMethod(loaded.withLayer(method, p.size()));
        for (int i = 0; i < WARMUP_ITERATIONS; i++) {
            iteration(loaded, images, request);
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            iteration(loaded, images, request);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        double median = Quantiles.ofSorted(ms, 0.5);
        double p90 = Quantiles.ofSorted(ms, 0.9);
        double perSecond = batch * 1000.0 / median;
        String device = loaded.info().device();
        if (json) {
            ObjectNode root = new ObjectMapper().createObjectNode();
            root.put("model", model.model).put("device", device).put("method", method.spec()).put("batch", batch)
                    .put("image_size", p.size()).put("iterations", iterations).put("median_ms", median)
                    .put("p90_ms", p90).put("min_ms", ms[0]).put("images_per_s", perSecond);
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(root));
        } else {
            spec.commandLine().getOut().printf(Locale.ROOT,
                    "%s on %s, %s, batch %d of %dx%d, %d iterations: median %.2f ms, p90 %.2f ms, min %.2f ms, "
                            + "%.1f images/s%n",
                    model.model, device, method.spec(), batch, p.size(), p.size(), iterations, median, p90, ms[0],
                    perSecond);
        }
    }

    /** Explains the batch and renders each overlay to 8-bit pixels on the host. */
    private static void iteration(SaliencyModel model, List<ImageInput> batch, ExplainRequest request) {
        // The whole batch in one pass, and noisy copies and path points at least the model's default at a time.
        int inputsAtOnce = Math.max(batch.size(), ModelOptions.defaults().batch());
        for (Explanation e : model.explainBatch(batch, request, inputsAtOnce, Cancellation.NEVER)) {
            Picture overlay = e.render(RenderOptions.defaults());
            if (overlay.width() == 0) {
                throw new IllegalStateException("empty rendering");
            }
        }
    }
}
