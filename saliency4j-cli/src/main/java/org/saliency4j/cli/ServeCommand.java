package org.saliency4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.saliency4j.ClassLabels;
import org.saliency4j.ImageLimits;
import org.saliency4j.ModelOptions;
import org.saliency4j.Parallelism;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.server.SaliencyService;
import org.saliency4j.server.ServiceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code saliency4j serve}: the HTTP service, until SIGTERM or Ctrl-C, which it answers by draining. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve POST /v1/explain, GET /v1/models, /v1/methods, /healthz, /readyz, /metrics and a viewer "
                + "page at /.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DeviceOptions device;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Class names, one a line, one line per class of the model, no name twice (default: the "
                    + "model card's, ImageNet's for 1000 classes, else indices).")
    Path labels;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-batch", defaultValue = "16",
            description = "Most concurrent requests explained in one pass (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "5",
            description = "How long a request waits for others to batch with (default: ${DEFAULT-VALUE}).")
    int maxWaitMs;

    @Option(names = "--queue", defaultValue = "64",
            description = "Requests waiting beyond which new ones get 503 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-body-bytes", defaultValue = "33554432",
            description = "Largest request body (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--max-pixels", descriptionKey = "max-pixels")
    long maxPixels;

    @Option(names = "--timeout-ms", defaultValue = "30000",
            description = "Requests not answered within this after their body arrived (waiting for memory or the model "
                    + "included) get 503 and their work is cancelled (default: ${DEFAULT-VALUE}).")
    int timeoutMs;

    @Option(names = "--max-work", defaultValue = "" + ServiceOptions.DEFAULT_MAX_WORK,
            description = "Most work one request may ask for, in images sent through the model times the input's "
                    + "pixels; refused with 400 before queueing (default: ${DEFAULT-VALUE}, 300 passes at 224x224).")
    long maxWork;

    @Option(names = "--http-threads", defaultValue = "20",
            description = "HTTP threads, at least 4 (Jetty's acceptor and selector, and 2 for requests); no request "
                    + "holds one while it uploads or waits for the model (default: ${DEFAULT-VALUE}).")
    int httpThreads;

    @Option(names = "--memory-budget-mb", paramLabel = "MB",
            description = "Memory the images being decoded, explained and rendered may take at once, weighed from "
                    + "their headers; more wait up to --timeout-ms, then get 503; one that can never fit gets 413 "
                    + "(default: 1024, or 3/4 of the heap when smaller).")
    Long memoryBudgetMb;

    @Option(names = "--max-uploads", defaultValue = "16",
            description = "Request bodies received at once; more get 503 (default: ${DEFAULT-VALUE}).")
    int maxUploads;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Batches explained at once, each by its own thread with --threads intra-op threads; the "
                    + "queue is shared and bounded as before. 0: on CPU one per core, up to "
                    + Parallelism.MAX_WORKERS + " (then more threads each); on CUDA, one (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--min-body-rate", paramLabel = "BYTES_PER_S", defaultValue = "16384",
            description = "Slowest a body may arrive after its first 2 s; slower ones get 408 (default: ${DEFAULT-VALUE}).")
    long minBodyRate;

    @Override
    public Integer call() throws Exception {
        ServiceOptions options = new ServiceOptions(host, port, maxBatch, maxWaitMs, queue, maxBodyBytes, timeoutMs,
                httpThreads, maxWork, memoryBudgetMb == null ? ServiceOptions.defaultMemoryBudget()
                : Math.multiplyExact(memoryBudgetMb, 1L << 20), maxUploads, minBodyRate);
        Parallelism plan = device.plan(workers);
        // Requests differ in their passes; each worker runs a request's passes on its own thread.
        ModelOptions modelOptions = device.apply(ModelOptions.defaults(), plan, 1)
                .withLimits(new ImageLimits(maxBodyBytes, maxPixels)).withName(model.model)
                .withLabels(labels == null ? null : ClassLabels.fromFile(labels));
        SaliencyModel loaded = SaliencyModel.load(model.file(), modelOptions);
        // On CUDA the device is the bottleneck, and one worker keeps it busy unless more were asked for.
        boolean cuda = loaded.info().device().startsWith("cuda");
        SaliencyService service = SaliencyService.start(loaded,
                options.withWorkers(workers == 0 && cuda ? 1 : plan.workers()));
        Thread shutdown = new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("saliency4j: shutdown: " + e);
            }
        }, "saliency4j-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        spec.commandLine().getOut().println("saliency4j: serving " + model.model + " on " + service.url());
        spec.commandLine().getOut().flush();
        service.join();
        return 0;
    }
}
