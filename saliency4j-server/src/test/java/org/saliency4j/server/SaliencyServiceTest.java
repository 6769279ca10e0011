package org.saliency4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import org.saliency4j.io.PictureEncoder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.RenderOptions;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.internal.image.TestImages;
import org.saliency4j.models.BuiltinModels;
import org.saliency4j.models.ShapesTask;

/** The service's contract over real HTTP on loopback, on the demo model: answers, every bad input, batching, load. */
class SaliencyServiceTest {
    private static JsonNode parameter(JsonNode method, String name) {
        for (JsonNode parameter : method.get("parameters")) {
            if (parameter.get("name").asText().equals(name)) {
                return parameter;
            }
        }
        throw new AssertionError(method.get("name") + " lists no " + name);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static LogCapture log;
    private static SaliencyService service;
    private static SaliencyModel reference;
    private static byte[] png;
    private static byte[] jpeg;

    @BeforeAll
    static void start() throws Exception {
        ModelOptions options = ModelOptions.defaults().withDevice("cpu");
        log = new LogCapture();
        service = SaliencyService.start(SaliencyModel.load(BuiltinModels.demoFile(), options),
                new ServiceOptions("127.0.0.1", 0, 8, 50, 64, 1 << 20, 30_000, 16));
        reference = SaliencyModel.load(BuiltinModels.demoFile(), options);
        png = PictureEncoder.png(BuiltinModels.demoSample().image());
        jpeg = TestImages.encode(BuiltinModels.demoSample().image(), ".jpg");
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        reference.close();
        log.close();
    }

    @Test
    void methodsListsEveryMethodWithTheParametersAndDefaultsTheQueryReads() throws Exception {
        JsonNode methods = json(get("/v1/methods")).get("methods");
        List<String> names = new ArrayList<>();
        methods.forEach(m -> names.add(m.get("name").asText()));
        assertEquals(List.of("vanilla", "gradient-x-input", "integrated-gradients", "guided-backprop", "deconvnet",
                "grad-cam", "grad-cam++", "xgrad-cam", "hires-cam", "layer-cam", "eigen-cam", "score-cam", "ablation-cam",
                "guided-grad-cam", "attention-rollout", "grad-rollout", "occlusion", "rise", "smoothgrad",
                "smoothgrad-sq", "vargrad"), names);
        for (JsonNode m : methods) {
            String name = m.get("name").asText();
            assertEquals(name.startsWith("smoothgrad") || name.equals("vargrad"), m.get("noise_tunnel").asBoolean(),
                    name);
            assertEquals(name.matches(".*cam(\\+\\+)?"), m.get("uses_layer").asBoolean(), name);
            assertEquals(name.equals("integrated-gradients"), m.get("convergence_delta").asBoolean(), name);
            // Every listed default written out asks for what the query without them asks for.
            Map<String, String> written = new HashMap<>(Map.of("method", name));
            for (JsonNode parameter : m.get("parameters")) {
                assertTrue(parameter.get("help").asText().length() > 10, name + " " + parameter);
                if (!parameter.get("default").isNull()) {
                    written.put(parameter.get("name").asText(), parameter.get("default").asText());
                }
            }
            if (name.endsWith("rollout")) {
                // The service's CNN has no attention to roll out: refused before any work, as the model's fault.
                for (Map<String, String> q : List.of(Map.of("method", name), written)) {
                    HttpError e = assertThrows(HttpError.class, () -> query(q), name);
                    assertEquals(422, e.status(), name);
                    assertTrue(e.getMessage().contains("exposes no attention probabilities"), e.getMessage());
                }
                continue;
            }
            assertEquals(query(Map.of("method", name)), query(written), name);
        }
        JsonNode steps = methods.get(2).get("parameters").get(0);
        assertEquals("steps", steps.get("name").asText());
        assertEquals(64, steps.get("default").asInt());
        assertEquals(1, steps.get("min").asInt());
        assertEquals(ExplainQuery.MAX_STEPS, steps.get("max").asInt(), "the service's cap, not the library's");
        assertEquals("integer", steps.get("type").asText());
        assertTrue(steps.get("auto").asBoolean(), "steps=auto is a value");
        assertEquals("[\"midpoint\",\"gauss-legendre\"]",
                parameter(methods.get(2), "integration").get("choices").toString());
        assertEquals("number", parameter(methods.get(2), "tolerance").get("type").asText());
        assertEquals("text", parameter(methods.get(names.indexOf("grad-cam")), "layer").get("type").asText());
        assertError(post("?method=integrated-gradients&steps=" + (ExplainQuery.MAX_STEPS + 1), png, "image/png",
                "image/png"), 400, "steps: must be between 1 and " + ExplainQuery.MAX_STEPS);
        // Automatic steps are bounded by the same cap, through max-steps, and the service serves on.
        assertError(post("?method=integrated-gradients&steps=auto&max-steps=" + (ExplainQuery.MAX_STEPS + 1), png,
                "image/png", "image/png"), 400, "max-steps: must be between 1 and " + ExplainQuery.MAX_STEPS);
        assertEquals(200, post("?method=integrated-gradients&steps=auto&max-steps=32", png, "image/png", "image/png")
                .statusCode());
        assertEquals("[\"zero\",\"black\",\"blur\",\"uniform\"]",
                parameter(methods.get(2), "baseline").get("choices").toString(), "no files from a request");
        assertEquals("[\"samples\",\"noise\",\"seed\"]", JSON.valueToTree(methods.get(names.indexOf("smoothgrad"))
                .get("parameters").findValuesAsText("name")).toString());
        JsonNode rise = methods.get(names.indexOf("rise"));
        assertEquals("[\"masks\",\"cells\",\"keep\",\"baseline\",\"seed\"]",
                JSON.valueToTree(rise.get("parameters").findValuesAsText("name")).toString());
        assertEquals(ExplainQuery.MAX_MASKS, parameter(rise, "masks").get("max").asInt(), "the service's cap");
        assertError(post("?method=rise&masks=" + (ExplainQuery.MAX_MASKS + 1), png, "image/png", "image/png"), 400,
                "masks: must be between 1 and " + ExplainQuery.MAX_MASKS);
        assertEquals("[\"window\",\"stride\",\"baseline\",\"seed\"]", JSON.valueToTree(methods
                .get(names.indexOf("occlusion")).get("parameters").findValuesAsText("name")).toString());
        // The model takes 64x64 inputs: a larger window is refused before any work, by name.
        assertError(post("?method=occlusion&window=65&stride=8", png, "image/png", "image/png"), 400,
                "window: the window (65 pixels) is larger than the 64x64 input");
        assertEquals(200, post("?method=occlusion&window=32&stride=32", png, "image/png", "image/png").statusCode());
        assertEquals(200, post("?method=rise&masks=20", png, "image/png", "image/png").statusCode());
    }

    @Test
    void requestsThatDifferOnlyInParametersTheirMethodDoesNotUseAreEqualAndSoBatchTogether() {
        assertEquals(query(Map.of()), query(Map.of("steps", "7", "samples", "3", "noise", "0.5", "layer", "x")));
        assertEquals(query(Map.of("method", "grad-cam")), query(Map.of("method", "grad-cam", "seed", "9")));
        assertNotEquals(query(Map.of("method", "smoothgrad")), query(Map.of("method", "smoothgrad", "seed", "9")));
    }

    @Test
    void healthReadinessModelsAndMetrics() throws Exception {
        assertEquals("alive", json(get("/healthz")).get("status").asText());
        assertEquals("ready", json(get("/readyz")).get("status").asText());
        JsonNode model = json(get("/v1/models")).get("models").get(0);
        assertEquals(5, model.get("classes").asInt());
        assertEquals(64, model.get("input_size").asInt());
        assertEquals("cpu", model.get("device").asText());
        post("", png, "image/png", "image/png");
        HttpResponse<byte[]> metrics = get("/metrics");
        String text = new String(metrics.body(), StandardCharsets.UTF_8);
        assertTrue(text.contains("saliency4j_requests_total{route=\"/v1/explain\",status=\"200\"}"), text);
        assertTrue(text.contains("saliency4j_request_duration_seconds_bucket"), text);
        assertTrue(text.contains("saliency4j_queue_depth"), text);
        assertTrue(text.contains("saliency4j_batch_size_count"), text);
        assertTrue(text.contains("saliency4j_resident_memory_bytes"), text);
        assertTrue(new String(get("/").body(), StandardCharsets.UTF_8).contains("<title>saliency4j viewer</title>"));
        assertEquals(256 * 3, java.util.Base64.getDecoder().decode(json(get("/v1/colormaps")).get("jet").asText()).length);
    }

    @Test
    void thePngIsTheLibrarysRenderingByteForByte() throws Exception {
        HttpResponse<byte[]> r = post("?method=grad-cam&colormap=viridis&alpha=0.3", png, "image/png", "image/png");
        assertEquals(200, r.statusCode());
        assertEquals("image/png", r.headers().firstValue("content-type").orElseThrow());
        ExplainRequest request = ExplainRequest.defaults().withPreprocessing(reference.preprocessing())
                .withMethod(reference.withLayer(org.saliency4j.method.Method.gradCam(), 64));
        byte[] expected = PictureEncoder.png(reference.explain(ImageInput.bytes("x", png), request)
                .render(RenderOptions.defaults().withColorMap(org.saliency4j.ColorMap.VIRIDIS).withAlpha(0.3)));
        assertArrayEquals(expected, r.body());
    }

    @Test
    void jsonNpyJpegAndMultipartAnswers() throws Exception {
        JsonNode record = json(post("?target=star&include=map", png, "image/png", "application/json"));
        assertEquals("star", record.get("predictions").get(0).get("label").asText());
        assertEquals(4, record.get("target").get("index").asInt());
        assertEquals(64 * 64 * 4, java.util.Base64.getDecoder().decode(record.get("map").get("data").asText()).length);
        assertEquals(64.0, record.get("region").get("width").asDouble());

        HttpResponse<byte[]> npy = post("", jpeg, "image/jpeg", "application/x-npy");
        assertEquals(200, npy.statusCode());
        String header = new String(npy.body(), 10, 118, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'shape': (64, 64)"), header);
        assertEquals(128 + 64 * 64 * 4, npy.body().length);

        HttpResponse<byte[]> jpg = post("?render=panel", png, "image/png", "image/jpeg");
        assertEquals(200, jpg.statusCode());
        assertEquals((byte) 0xFF, jpg.body()[0]);
        assertEquals((byte) 0xD8, jpg.body()[1]);

        String boundary = "saliency4j-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"s.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(png);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        JsonNode multipart = json(post("", body.toByteArray(), "multipart/form-data; boundary=" + boundary,
                "application/json"));
        assertEquals(record.get("target").get("value").asDouble(), multipart.get("target").get("value").asDouble(),
                1e-6);
    }

    @Test
    void everyBadInputIsA4xxWithAJsonBodyAndTheServiceKeepsServing() throws Exception {
        byte[] truncated = Arrays.copyOf(TestImages.encode(TestImages.pattern(300, 200, 1), ".jpg"), 3000);
        assertError(post("", new byte[0], "image/png", "image/png"), 422, "empty");
        assertError(post("", "hello, world".getBytes(StandardCharsets.UTF_8), "image/png", "image/png"), 415,
                "not an image");
        byte[] random = new byte[5000];
        new Random(3).nextBytes(random);
        assertError(post("", random, "application/octet-stream", "image/png"), 415, "not an image");
        assertError(post("", truncated, "image/jpeg", "image/png"), 422, "truncated");
        long start = System.nanoTime();
        assertError(post("", TestImages.pngBomb(30_000, 30_000), "image/png", "image/png"), 413, "30000x30000");
        assertTrue((System.nanoTime() - start) / 1e9 < 2, "the bomb is refused from its header, quickly");
        assertError(post("", new byte[(1 << 20) + 1], "image/png", "image/png"), 413, "limit");
        assertError(post("", png, "text/plain", "image/png"), 415, "Content-Type");
        assertError(post("?frobnicate=1", png, "image/png", "image/png"), 400, "frobnicate");
        assertError(post("?alpha=2", png, "image/png", "image/png"), 400, "alpha");
        assertError(post("?method=magic", png, "image/png", "image/png"), 400, "magic");
        assertError(post("?samples=100000&method=smoothgrad", png, "image/png", "image/png"), 400, "samples");
        assertError(post("?baseline=/etc/passwd&method=integrated-gradients", png, "image/png", "image/png"), 400,
                "baseline");
        assertError(post("?method=grad-cam&layer=nope", png, "image/png", "image/png"), 400, "nope");
        assertError(post("?target=unicorn", png, "image/png", "image/png"), 422, "unicorn");
        assertError(post("?target=7", png, "image/png", "image/png"), 422, "out of range");
        assertError(post("?target=top3", png, "image/png", "image/png"), 400, "one per request");
        assertError(post("?target=1,2", png, "image/png", "image/png"), 400, "one per request");
        assertEquals(200, post("?target=top1", png, "image/png", "image/png").statusCode());
        assertEquals(200, post("?target=rank2", png, "image/png", "image/png").statusCode());
        assertError(post("", png, "image/png", "text/html"), 406, "Accept");
        assertError(get("/nowhere"), 404, "no such path");
        assertError(send(HttpRequest.newBuilder(uri("/v1/explain")).GET().build()), 405, "GET");
        assertError(send(HttpRequest.newBuilder(uri("/healthz")).DELETE().build()), 405, "DELETE");
        assertEquals(200, post("", png, "image/png", "image/png").statusCode(), "still serving");
        assertTrue(log.text().contains("POST /v1/explain 415 "), "one line per request");
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsOwnAnswer() throws Exception {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            images.add(PictureEncoder.png(new ShapesTask(31).sample(i).image()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (byte[] image : images) {
                answers.add(pool.submit(() -> json(post("", image, "image/png", "application/json"))));
            }
            for (int i = 0; i < images.size(); i++) {
                JsonNode batched = answers.get(i).get();
                JsonNode alone = json(post("", images.get(i), "image/png", "application/json"));
                assertEquals(alone.get("target").get("index").asInt(), batched.get("target").get("index").asInt());
                assertEquals(alone.get("target").get("value").asDouble(), batched.get("target").get("value").asDouble(),
                        1e-4);
            }
        } finally {
            pool.shutdown();
        }
        String metrics = new String(get("/metrics").body(), StandardCharsets.UTF_8);
        double count = metric(metrics, "saliency4j_batch_size_count");
        double sum = metric(metrics, "saliency4j_batch_size_sum");
        assertTrue(sum > count, "some requests shared a pass: " + sum + " requests in " + count + " batches");
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndNoGoodRequestFails() throws Exception {
        try (SaliencyService small = SaliencyService.start(SaliencyModel.load(BuiltinModels.demoFile(),
                        ModelOptions.defaults().withDevice("cpu")),
                new ServiceOptions("127.0.0.1", 0, 1, 0, 1, 1 << 20, 30_000, 16))) {
            ExecutorService pool = Executors.newFixedThreadPool(12);
            try {
                List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    HttpRequest slow = HttpRequest.newBuilder(URI.create(small.url()
                                    + "v1/explain?method=smoothgrad&samples=64"))
                            .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png))
                            .build();
                    answers.add(CLIENT.sendAsync(slow, HttpResponse.BodyHandlers.ofByteArray()));
                }
                int ok = 0;
                int busy = 0;
                for (CompletableFuture<HttpResponse<byte[]>> answer : answers) {
                    HttpResponse<byte[]> r = answer.get();
                    if (r.statusCode() == 503) {
                        busy++;
                        assertEquals("1", r.headers().firstValue("retry-after").orElseThrow());
                        assertTrue(json(r).get("error").asText().contains("queue is full"));
                    } else {
                        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
                        ok++;
                    }
                }
                assertTrue(ok >= 2 && busy >= 1, ok + " answered, " + busy + " refused");
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void closingFinishesTheRequestInFlightThenRefusesConnections() throws Exception {
        SaliencyService closing = SaliencyService.start(SaliencyModel.load(BuiltinModels.demoFile(),
                        ModelOptions.defaults().withDevice("cpu")),
                new ServiceOptions("127.0.0.1", 0, 1, 0, 4, 1 << 20, 30_000, 8));
        URI slow = URI.create(closing.url() + "v1/explain?method=smoothgrad&samples=64");
        URI health = URI.create(closing.url() + "healthz");
        CompletableFuture<HttpResponse<byte[]>> inFlight = CLIENT.sendAsync(HttpRequest.newBuilder(slow)
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Thread.sleep(300);
        long start = System.nanoTime();
        closing.close();
        assertTrue((System.nanoTime() - start) / 1e9 < 10, "closed within seconds");
        assertEquals(200, inFlight.get().statusCode(), "the request in flight was answered");
        java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> CLIENT.sendAsync(HttpRequest.newBuilder(health)
                        .build(), HttpResponse.BodyHandlers.ofByteArray()).get());
        assertTrue(refused.getCause() instanceof java.io.IOException, String.valueOf(refused.getCause()));
    }

    @Test
    void mixedConcurrentLoadLeavesMemoryFlat() throws Exception {
        byte[] text = "not an image".getBytes(StandardCharsets.UTF_8);
        runMixed(200, png, text);
        long before = Pointer.physicalBytes();
        int[] counts = runMixed(1000, png, text);
        long growth = Pointer.physicalBytes() - before;
        assertEquals(500, counts[0], "every good request answered 200");
        assertEquals(500, counts[1], "every bad request answered 415");
        assertTrue(growth < 64L << 20, "resident memory grew by " + (growth >> 20) + " MB over 1000 requests");
    }

    /** n requests from 8 threads, alternating good and bad; returns {200s, 415s}. */
    private static int[] runMixed(int n, byte[] good, byte[] bad) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] body = i % 2 == 0 ? good : bad;
                statuses.add(pool.submit(() -> post("", body, "image/png", "image/png").statusCode()));
            }
            int[] counts = new int[2];
            for (Future<Integer> status : statuses) {
                int s = status.get();
                assertTrue(s == 200 || s == 415, "status " + s);
                counts[s == 200 ? 0 : 1]++;
            }
            return counts;
        } finally {
            pool.shutdown();
        }
    }

    private static double metric(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in " + text);
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String fragment) throws Exception {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), body);
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow(), body);
        JsonNode error = JSON.readTree(body);
        assertEquals(status, error.get("status").asInt());
        assertNotNull(error.get("error"));
        assertTrue(error.get("error").asText().contains(fragment), body);
    }

    /** The library request a query asks for, on the service's model. */
    private static ExplainRequest query(Map<String, String> params) {
        return ExplainQuery.parse(params, null, reference, Long.MAX_VALUE).request();
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static URI uri(String path) {
        return URI.create(service.url() + path.substring(1));
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private static HttpResponse<byte[]> post(String query, byte[] body, String contentType, String accept)
            throws Exception {
        return send(HttpRequest.newBuilder(uri("/v1/explain" + query)).header("Content-Type", contentType)
                .header("Accept", accept).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
