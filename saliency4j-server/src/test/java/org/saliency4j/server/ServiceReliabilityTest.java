package org.saliency4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.saliency4j.io.PictureEncoder;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.ModelOptions;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.method.Method;
import org.saliency4j.method.NoiseTunnel;
import org.saliency4j.method.Workload;
import org.saliency4j.models.BuiltinModels;

/**
 * What no request may do to the service, over loopback on the demo model: a fault in the model kills the worker,
 * work past the bound is queued, a timed-out request keeps the model busy, shutdown waits for a long request.
 */
@Timeout(60)
class ServiceReliabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** 1 + 256 x 256 passes of the input: the request, minutes on the demo model, hours on DenseNet. */
    /** A cheap method that has a seed, for the faults keyed on it: one noisy copy. */
    private static final String SEEDED = "method=smoothgrad&samples=1&seed=";
    private static final String EXPENSIVE = "method=smoothgrad:integrated-gradients&samples=256&steps=256";
    /** 1 + 256 x 64 passes, admitted under a raised bound: about a minute on the demo model. */
    private static final String LONG = "method=smoothgrad:integrated-gradients&samples=256&steps=64";
    private static byte[] png;

    @BeforeAll
    static void image() {
        png = PictureEncoder.png(BuiltinModels.demoSample().image());
    }

    @Test
    void anOutOfMemoryErrorFailsOnlyItsRequestAndTheNextIsServed() throws Exception {
        SaliencyModel model = demo();
        // seed=666 makes the model throw what PilResize threw on a 1,000,000 x 1 PNG.
        Batcher.Explainer faulty = (images, request, batch, cancellation) -> {
            if (seed(request) == 666) {
                throw new OutOfMemoryError("Java heap space");
            }
            return model.explainBatch(images, request, batch, cancellation);
        };
        try (LogCapture log = new LogCapture();
             SaliencyService service = SaliencyService.start(model, faulty, options(5_000))) {
            HttpResponse<byte[]> failed = post(service, SEEDED + 666);
            assertEquals(500, failed.statusCode());
            assertEquals("application/json", failed.headers().firstValue("content-type").orElseThrow());
            assertEquals(200, post(service, "").statusCode(), "the next request is served");
            assertEquals(200, get(service, "readyz").statusCode());
            assertTrue(log.text().contains("OutOfMemoryError"), log.text());
        }
    }

    @Test
    void readinessIs503WhileTheWorkerIsStuckAndCloseDoesNotWaitForIt() throws Exception {
        SaliencyModel model = demo();
        LogCapture log = new LogCapture();
        CountDownLatch release = new CountDownLatch(1);
        // seed=13: a pass that never returns and cannot be cancelled, as native code stuck in the model.
        Batcher.Explainer stuck = (images, request, batch, cancellation) -> {
            if (seed(request) == 13) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return model.explainBatch(images, request, batch, cancellation);
        };
        SaliencyService service = SaliencyService.start(model, stuck, options(300));
        try {
            assertEquals(200, get(service, "readyz").statusCode());
            assertEquals(503, post(service, SEEDED + 13).statusCode(), "timed out");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            HttpResponse<byte[]> ready = get(service, "readyz");
            while (ready.statusCode() == 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                ready = get(service, "readyz");
            }
            assertEquals(503, ready.statusCode(), "not ready while the worker cannot take work");
            assertEquals("worker unavailable", JSON.readTree(ready.body()).get("status").asText());
            HttpResponse<byte[]> refused = post(service, "");
            assertEquals(503, refused.statusCode());
            assertTrue(JSON.readTree(refused.body()).get("error").asText().contains("not taking work"));
            long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(20), service::close);
            assertTrue((System.nanoTime() - start) / 1e9 < 20);
            assertTrue(log.text().contains("the model is left open"), log.text());
        } finally {
            // The model stays open, as the service left it: the released worker may still be on its way out.
            release.countDown();
            log.close();
        }
    }

    @Test
    void aRequestOverTheWorkBoundIsRefusedBeforeItIsQueued() throws Exception {
        long pixels = 224 * 224;
        for (String spec : List.of("vanilla", "grad-cam", "smoothgrad", "integrated-gradients")) {
            Method ordinary = Method.parse(spec);
            assertTrue(ordinary.passes(Workload.of(224, 224)) * pixels <= ServiceOptions.DEFAULT_MAX_WORK,
                    spec + " passes at 224x224");
        }
        Method expensive = Method.smoothGrad(Method.integratedGradients(256), 256);
        assertTrue(expensive.passes(Workload.of(64, 64)) * 64 * 64 > ServiceOptions.DEFAULT_MAX_WORK,
                "refused even at 64x64");

        // A generous deadline: the ordinary requests below must not time out on a busy 2-core machine.
        try (SaliencyService service = SaliencyService.start(demo(), options(30_000))) {
            long start = System.nanoTime();
            HttpResponse<byte[]> refused = post(service, EXPENSIVE);
            assertTrue((System.nanoTime() - start) / 1e9 < 2, "refused at once");
            assertEquals(400, refused.statusCode(), new String(refused.body(), StandardCharsets.UTF_8));
            String error = JSON.readTree(refused.body()).get("error").asText();
            for (String named : List.of("samples=256", "steps=256", "65537", String.valueOf(ServiceOptions.DEFAULT_MAX_WORK))) {
                assertTrue(error.contains(named), error);
            }
            assertEquals(0, batches(service), "nothing reached the model");
            for (String ordinary : List.of("", "method=grad-cam", "method=smoothgrad&samples=50",
                    "method=integrated-gradients&steps=64")) {
                assertEquals(200, post(service, ordinary).statusCode(), ordinary);
            }
        }
    }

    /**
     * Score-CAM's cost is one pass per channel of its layer (the demo's norm4: 64, so 65 passes of a 64x64 input):
     * the bound counts the channels of the layer the request resolves to, before anything is queued.
     */
    @Test
    void theWorkBoundCountsTheWeighedLayersChannels() throws Exception {
        try (SaliencyService service = SaliencyService.start(demo(), options(30_000).withMaxWork(10L * 64 * 64))) {
            HttpResponse<byte[]> refused = post(service, "method=score-cam");
            assertEquals(400, refused.statusCode(), new String(refused.body(), StandardCharsets.UTF_8));
            String error = JSON.readTree(refused.body()).get("error").asText();
            assertTrue(error.contains("65 model passes"), error);
            assertEquals(0, batches(service), "nothing reached the model");
            assertEquals(200, post(service, "method=grad-cam").statusCode(), "one pass is within the bound");
        }
    }

    @Test
    void aTimedOutRequestStopsItsWorkAndTheNextIsServedPromptly() throws Exception {
        try (SaliencyService service = SaliencyService.start(demo(), options(1_000).withMaxWork(Long.MAX_VALUE))) {
            HttpResponse<byte[]> timedOut = post(service, LONG);
            assertEquals(503, timedOut.statusCode());
            assertTrue(JSON.readTree(timedOut.body()).get("error").asText().contains("not answered within"));
            long start = System.nanoTime();
            HttpResponse<byte[]> next = post(service, "");
            assertEquals(200, next.statusCode(), "the model is free again: " + new String(next.body(),
                    StandardCharsets.UTF_8));
            assertTrue((System.nanoTime() - start) / 1e9 < 1, "served promptly");
        }
    }

    @Test
    void closeReturnsWithin20SecondsWhileALongRequestRunsAndItIsAnswered503() throws Exception {
        SaliencyService service = SaliencyService.start(demo(), options(3_000).withMaxWork(Long.MAX_VALUE));
        CompletableFuture<HttpResponse<byte[]>> running = CLIENT.sendAsync(explain(service, LONG),
                HttpResponse.BodyHandlers.ofByteArray());
        Thread.sleep(500);
        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(20), service::close);
        assertTrue((System.nanoTime() - start) / 1e9 < 20);
        HttpResponse<byte[]> answer = running.get(5, TimeUnit.SECONDS);
        assertEquals(503, answer.statusCode());
        assertEquals("application/json", answer.headers().firstValue("content-type").orElseThrow());
    }

    private static SaliencyModel demo() {
        return SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults().withDevice("cpu"));
    }

    private static ServiceOptions options(int timeoutMs) {
        return new ServiceOptions("127.0.0.1", 0, 4, 0, 8, 1 << 20, timeoutMs, 16);
    }


    private static double batches(SaliencyService service) throws Exception {
        for (String line : new String(get(service, "metrics").body(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("saliency4j_batch_size_count ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static HttpRequest explain(SaliencyService service, String query) {
        return HttpRequest.newBuilder(URI.create(service.url() + "v1/explain?" + query))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build();
    }

    /** The seed of a request's noise tunnel, which the faults above key on; 0 for other methods. */
    private static long seed(ExplainRequest request) {
        return request.method() instanceof NoiseTunnel tunnel ? tunnel.seed() : 0;
    }

    private static HttpResponse<byte[]> post(SaliencyService service, String query) throws Exception {
        return CLIENT.send(explain(service, query), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> get(SaliencyService service, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(service.url() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
