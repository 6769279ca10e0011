package org.saliency4j.server;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC4;
import org.saliency4j.io.PictureEncoder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.saliency4j.ModelOptions;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.internal.image.TestImages;
import org.saliency4j.models.BuiltinModels;

/**
 * Clients that trickle their bodies, bodies declared too long, and concurrent large images: none of them starve
 * the service, hold it for long, or take more memory than its budget.
 */
class SlowClientsAndLargeImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int LIMIT = 1 << 20;

    private static SaliencyService start(ServiceOptions options) throws Exception {
        return SaliencyService.start(SaliencyModel.load(BuiltinModels.demoFile(),
                ModelOptions.defaults().withDevice("cpu")), options);
    }

    @Test
    void aBodyFastEnoughForTheRateButLongerThanTheTimeoutIsCutOff() throws Exception {
        // 40 KB a second, well over the 16 KiB/s minimum, of a 400 KB body: 10 s, past the 2 s timeout.
        try (SaliencyService service = start(new ServiceOptions("127.0.0.1", 0, 4, 5, 16, LIMIT, 2_000, 8));
             RawHttp client = new RawHttp(service.port(), 10_000)) {
            client.send("POST /v1/explain HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                    + "Content-Length: 400000\r\n\r\n");
            long start = System.nanoTime();
            String chunk = "x".repeat(4_000);
            try {
                for (int i = 0; i < 100; i++) {
                    client.send(chunk);
                    Thread.sleep(100);
                }
            } catch (IOException cutOff) {
                // the server answered and closed: read the answer
            }
            RawHttp.Answer answer = client.read();
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(408, answer.status(), answer.head() + answer.body());
            assertTrue(answer.body().contains("not received within 2000 ms"), answer.body());
            assertTrue(seconds < 5, "cut off at the timeout, not after the whole body: " + seconds + " s");
            assertEquals(200, post(service, "", TestImages.encode(TestImages.pattern(64, 64, 1), ".png")).statusCode(),
                    "the service still serves");
        }
    }

    @Test
    void tricklingUploadsAreCutOffAndHealthIsAnsweredMeanwhile() throws Exception {
        int clients = 40;
        // 8 HTTP threads: far fewer than the trickling clients, as in production with 120.
        try (SaliencyService service = start(new ServiceOptions("127.0.0.1", 0, 4, 5, 16, LIMIT, 30_000, 8))) {
            List<RawHttp> tricklers = new ArrayList<>();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try {
                for (int i = 0; i < clients; i++) {
                    tricklers.add(new RawHttp(service.port(), 10_000).send("POST /v1/explain HTTP/1.1\r\n"
                            + "Host: localhost\r\nContent-Type: image/png\r\nContent-Length: 1000\r\n\r\nx"));
                }
                // One more byte a second from each: alive, far below any useful rate.
                trickle.scheduleAtFixedRate(() -> tricklers.forEach(t -> {
                    try {
                        t.send("x");
                    } catch (IOException closed) {
                        // cut off already
                    }
                }), 1, 1, TimeUnit.SECONDS);
                long start = System.nanoTime();
                while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3)) {
                    for (String path : List.of("healthz", "readyz")) {
                        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(service.url() + path))
                                .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, r.statusCode(), path + ": " + r.body());
                    }
                    Thread.sleep(200);
                }
                int cut = 0;
                for (RawHttp t : tricklers) {
                    RawHttp.Answer answer = t.read();
                    assertTrue(answer.status() == 408 || answer.status() == 503, answer.head() + answer.body());
                    assertEquals(answer.status(), JSON.readTree(answer.body()).get("status").asInt());
                    if (answer.status() == 408) {
                        cut++;
                        assertTrue(answer.body().contains("too slowly"), answer.body());
                    } else {
                        assertTrue(answer.body().contains("uploads"), answer.body());
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(cut >= 8, cut + " of " + clients + " cut off for their pace, the rest refused at once");
                assertTrue(seconds < 8, "every trickle answered within " + seconds + " s");
            } finally {
                trickle.shutdownNow();
                for (RawHttp t : tricklers) {
                    t.close();
                }
            }
            byte[] png = PictureEncoder.png(BuiltinModels.demoSample().image());
            assertEquals(200, post(service, "", png).statusCode(), "a good request after the slow ones");
        }
    }

    @Test
    void requestsWaitingForTheModelHoldNoThread() throws Exception {
        byte[] png = PictureEncoder.png(BuiltinModels.demoSample().image());
        // Two threads for requests; the batcher gathers a batch for 2 s, so four requests wait that long.
        try (SaliencyService service = start(new ServiceOptions("127.0.0.1", 0, 8, 2_000, 16, LIMIT, 30_000, 4))) {
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiting.add(CLIENT.sendAsync(request(service, "", png), HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(300);
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> health = CLIENT.send(HttpRequest.newBuilder(URI.create(service.url() + "healthz"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode());
            }
            assertFalse(waiting.stream().allMatch(CompletableFuture::isDone), "health was asked while they waited");
            for (CompletableFuture<HttpResponse<String>> answer : waiting) {
                assertEquals(200, answer.get().statusCode(), answer.get().body());
            }
        }
    }

    @Test
    void aBodyDeclaredOverTheLimitIsRefusedAtOnceUnread() throws Exception {
        try (SaliencyService service = start(new ServiceOptions("127.0.0.1", 0, 4, 5, 16, LIMIT, 30_000, 8))) {
            // Within twice the limit: no drain of it is waited for, the client sends nothing.
            String head = "POST /v1/explain HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                    + "Content-Length: " + (LIMIT + LIMIT / 2) + "\r\n";
            try (RawHttp plain = new RawHttp(service.port(), 1_000)) {
                RawHttp.Answer answer = plain.send(head + "\r\n").read();
                assertEquals(413, answer.status(), answer.head());
                assertTrue(answer.hasHeader("content-type", "application/json"), answer.head());
                assertTrue(answer.body().contains("limit of " + LIMIT), answer.body());
            }
            try (RawHttp expecting = new RawHttp(service.port(), 1_000)) {
                RawHttp.Answer answer = expecting.send(head + "Expect: 100-continue\r\n\r\n").read();
                assertEquals(413, answer.status(), "the refusal, not 100 Continue: " + answer.head());
                assertEquals(413, JSON.readTree(answer.body()).get("status").asInt());
                assertTrue(answer.hasHeader("connection", "close"), answer.head());
                assertTrue(expecting.closedByServer(), "the connection is closed: its body will never be read");
            }
            byte[] png = PictureEncoder.png(BuiltinModels.demoSample().image());
            assertEquals(200, post(service, "", png).statusCode());
        }
    }

    @Test
    void concurrentLargeImagesWaitForTheMemoryBudgetAndOneOverItIsRefused() throws Exception {
        byte[] image = TestImages.encode(TestImages.pattern(200, 200, 7), ".png");
        // 200 x 200 8-bit RGB rendered at its size: 15 bytes a pixel to decode, 20 to render, and the upload.
        long oneImage = 200 * 200 * (15 + 20) + image.length;
        ServiceOptions options = new ServiceOptions("127.0.0.1", 0, 8, 300, 16, LIMIT, 30_000, 16)
                .withMemoryBudget(2 * oneImage + oneImage / 2);
        try (SaliencyService service = start(options)) {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(CLIENT.sendAsync(request(service, "?geometry=original&method=smoothgrad&samples=8", image),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                assertEquals(200, answer.get().statusCode(), answer.get().body());
            }
            // Six requests gathered for 300 ms would share one pass; admitted two at a time, no pass has more.
            String metrics = CLIENT.send(HttpRequest.newBuilder(URI.create(service.url() + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double batches = metric(metrics, "saliency4j_batch_size_count");
            double atMostTwo = metric(metrics, "saliency4j_batch_size_bucket{le=\"2.0\"}");
            assertEquals(batches, atMostTwo, "batches of more than two images: " + metrics);
            assertEquals(0, metric(metrics, "saliency4j_memory_budget_used_bytes"), "every permit given back");

            byte[] large = TestImages.encode(TestImages.pattern(400, 400, 7), ".png");
            HttpResponse<String> refused = CLIENT.send(request(service, "?geometry=original", large),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, refused.statusCode(), refused.body());
            JsonNode error = JSON.readTree(refused.body());
            assertTrue(error.get("error").asText().contains("memory budget"), refused.body());
            assertFalse(error.get("error").asText().contains("--"), refused.body());
            assertEquals(200, CLIENT.send(request(service, "", large), HttpResponse.BodyHandlers.ofString())
                    .statusCode(), "cropped, the same image fits");
            // The same size with alpha in 16-bit samples decodes to far more (40 bytes a pixel, not 15): weighed
            // by its header's channels and sample size, it does not fit (it was weighed as 8-bit RGB before).
            Mat deep = new Mat(400, 400, CV_16UC4, new Scalar(30000, 20000, 10000, 65535));
            HttpResponse<String> heavy = CLIENT.send(request(service, "", TestImages.encode(deep, ".png")),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, heavy.statusCode(), heavy.body());
        }
    }

    private static HttpRequest request(SaliencyService service, String query, byte[] body) {
        return HttpRequest.newBuilder(URI.create(service.url() + "v1/explain" + query))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static HttpResponse<String> post(SaliencyService service, String query, byte[] body) throws Exception {
        return CLIENT.send(request(service, query, body), HttpResponse.BodyHandlers.ofString());
    }

    private static double metric(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in " + text);
    }
}
