package org.saliency4j.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** The service's Prometheus metrics, in a registry of its own (two services in one JVM do not mix). */
final class ServiceMetrics implements Batcher.Listener {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final Histogram batchSizes;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /**
     * @param queueDepth   requests waiting for the model
     * @param residentBytes the process's resident memory (native memory included), 0 when unknown
     * @param budgetBytes   bytes of the memory budget held by images being decoded, explained or rendered
     * @param uploads       request bodies being received
     */
    ServiceMetrics(IntSupplier queueDepth, LongSupplier residentBytes, LongSupplier budgetBytes,
                   IntSupplier uploads) {
        requests = Counter.builder().name("saliency4j_requests")
                .help("HTTP requests answered, by route and status").labelNames("route", "status")
                .register(registry);
        latency = Histogram.builder().name("saliency4j_request_duration_seconds")
                .help("Time from a request's arrival to its answer, by route").labelNames("route")
                .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        batchSizes = Histogram.builder().name("saliency4j_batch_size")
                .help("Requests explained together in one forward and backward pass")
                .classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
        GaugeWithCallback.builder().name("saliency4j_queue_depth").help("Requests waiting for the model")
                .callback(cb -> cb.call(queueDepth.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("saliency4j_resident_memory_bytes")
                .help("Resident memory of the process, native memory (libtorch, OpenCV) included")
                .callback(cb -> cb.call(residentBytes.getAsLong())).register(registry);
        GaugeWithCallback.builder().name("saliency4j_memory_budget_used_bytes")
                .help("Bytes of the memory budget held by images being decoded, explained or rendered")
                .callback(cb -> cb.call(budgetBytes.getAsLong())).register(registry);
        GaugeWithCallback.builder().name("saliency4j_uploads_in_progress").help("Request bodies being received")
                .callback(cb -> cb.call(uploads.getAsInt())).register(registry);
    }

    void request(String route, int status, double seconds) {
        requests.labelValues(route, Integer.toString(status)).inc();
        latency.labelValues(route).observe(seconds);
    }

    @Override
    public void batch(int size) {
        batchSizes.observe(size);
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }
}
