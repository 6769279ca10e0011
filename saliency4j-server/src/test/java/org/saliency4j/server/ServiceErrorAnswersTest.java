package org.saliency4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.saliency4j.io.PictureEncoder;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saliency4j.ModelOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.models.BuiltinModels;

/** Every answer is the documented JSON, names query parameters, and the service's options are checked up front. */
class ServiceErrorAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static SaliencyService service;
    private static byte[] png;

    @BeforeAll
    static void start() throws Exception {
        service = start(new ServiceOptions("127.0.0.1", 0, 4, 5, 16, 1 << 20, 30_000, ServiceOptions.MIN_THREADS));
        png = PictureEncoder.png(BuiltinModels.demoSample().image());
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static SaliencyService start(ServiceOptions options) throws Exception {
        return SaliencyService.start(SaliencyModel.load(BuiltinModels.demoFile(),
                ModelOptions.defaults().withDevice("cpu")), options);
    }

    @Test
    void jettysOwnErrorsAreJson() throws Exception {
        assertJsonError(raw("this is not a request line\r\n\r\n"), 400);
        assertJsonError(raw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 414);
        assertJsonError(raw("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "b".repeat(20_000)
                + "\r\n\r\n"), 431);
        assertJsonError(raw("GET /healthz HTTP/1.1\r\n\r\n"), 400); // HTTP/1.1 without Host
        RawHttp.Answer alive = raw("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertEquals(200, alive.status(), "still serving, on " + ServiceOptions.MIN_THREADS + " threads");
    }

    @Test
    void theAcceptHeaderIsReadWithItsQualities() throws Exception {
        assertEquals("image/png", contentType(explain("", ";")), "an unreadable Accept is no Accept");
        assertEquals("image/png", contentType(explain("", ",,; q=2, /")));
        assertEquals("application/json", contentType(explain("", "image/png;q=0, application/json")));
        assertEquals("application/json", contentType(explain("", "image/*;q=0.5, application/json;q=0.9")));
        assertEquals("image/jpeg", contentType(explain("", "image/png;q=0, image/*")));
        assertEquals("application/x-npy", contentType(explain("", "application/x-npy, */*;q=0.1")));
        assertError(explain("", "image/png;q=0"), 406, "Accept");
        assertError(explain("", "*/*;q=0"), 406, "Accept");
        assertError(explain("", "text/html"), 406, "Accept");
    }

    @Test
    void errorsNameTheQueryParameterNeverAFlag() throws Exception {
        assertTrue(errorOf(explain("?target=unicorn", "image/png"), 422).startsWith("target: "));
        assertError(explain("?vmin=0.9&vmax=0.1&render=panel", "image/png"), 400, "vmin: ");
        assertError(explain("?geometry=sideways", "image/png"), 400, "geometry: ");
        assertError(explain("?method=grad-cam&layer=nope", "image/png"), 400, "layer: ");
        assertError(explain("?preprocess=squash", "image/png"), 400, "preprocess: ");
        // The library names its parameters as the query does: the answer passes the name on.
        HttpError e = HttpError.of(new SaliencyException(SaliencyException.Kind.OPTION, "vmin", "too high"));
        assertEquals("vmin: too high", e.getMessage());
        assertEquals(400, e.status());
    }

    @Test
    void threadsHostAndPortAreCheckedBeforeServing() throws Exception {
        SaliencyException threads = assertThrows(SaliencyException.class,
                () -> new ServiceOptions("127.0.0.1", 0, 4, 5, 16, 1 << 20, 30_000, 2));
        assertEquals("http-threads", threads.input());
        assertTrue(threads.problem().contains(Integer.toString(ServiceOptions.MIN_THREADS)), threads.getMessage());

        for (String host : new String[] {"no-such-host.invalid", "192.0.2.1"}) {
            SaliencyException e = assertThrows(SaliencyException.class,
                    () -> start(new ServiceOptions(host, 0, 4, 5, 16, 1 << 20, 30_000, 8)).close());
            assertEquals("host", e.input(), e.getMessage());
            assertTrue(e.getMessage().contains(host), e.getMessage());
        }
        SaliencyException busy = assertThrows(SaliencyException.class,
                () -> start(new ServiceOptions("127.0.0.1", service.port(), 4, 5, 16, 1 << 20, 30_000, 8)).close());
        assertEquals("port", busy.input(), busy.getMessage());
    }

    private static RawHttp.Answer raw(String text) throws Exception {
        try (RawHttp http = new RawHttp(service.port(), 5_000)) {
            return http.send(text).read();
        }
    }

    private static void assertJsonError(RawHttp.Answer answer, int status) throws Exception {
        assertEquals(status, answer.status(), answer.head() + answer.body());
        assertTrue(answer.hasHeader("content-type", "application/json"), answer.head());
        JsonNode error = JSON.readTree(answer.body());
        assertEquals(status, error.get("status").asInt(), answer.body());
        assertFalse(error.get("error").asText().isBlank(), answer.body());
    }

    private static HttpResponse<byte[]> explain(String query, String accept) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(service.url() + "v1/explain" + query))
                .header("Content-Type", "image/png").header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String contentType(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return r.headers().firstValue("content-type").orElseThrow();
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String start) throws Exception {
        String message = errorOf(r, status);
        assertTrue(message.startsWith(start), message);
        assertFalse(message.contains("--"), "a flag named in " + message);
    }

    private static String errorOf(HttpResponse<byte[]> r, int status) throws Exception {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), body);
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow(), body);
        return JSON.readTree(body).get("error").asText();
    }
}
