package org.saliency4j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.saliency4j.ColorMap;
import org.saliency4j.Explanation;
import org.saliency4j.ImageFormat;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelInfo;
import org.saliency4j.Picture;
import org.saliency4j.SaliencyException;
import org.saliency4j.SaliencyModel;
import org.saliency4j.image.Renderer;
import org.saliency4j.io.ExplanationJson;
import org.saliency4j.io.NpyWriter;
import org.saliency4j.torch.NativeMemory;

/**
 * The headless rendering service: {@code POST /v1/explain}, {@code GET /v1/models}, {@code /v1/colormaps}, {@code /healthz},
 * {@code /readyz}, {@code /metrics} and the viewer page at {@code /}. Requests are decoded and rendered on Jetty's
 * threads and explained in batches by a {@link Batcher}. Every bad input is answered 4xx with
 * {@code {"error": ..., "status": ...}}; the service keeps serving. {@link #close()} stops accepting, finishes
 * what is in flight, and frees the model.
 */
public final class SaliencyService implements AutoCloseable {
    private static final String VIEWER = "/org/saliency4j/server/viewer.html";
    /**
     * Shutdown within 20 s whatever runs: queued and running requests get up to this (or the request timeout, if
     * shorter) to finish, then are answered 503 and the model's worker stops at its next pass...
     */
    private static final long SHUTDOWN_GRACE_MS = 8_000;
    /** ...which it gets this long to do; then Jetty gets as long to send the last answers and close connections. */
    private static final long SHUTDOWN_STOP_MS = 3_000;

    private final SaliencyModel model;
    private final ServiceOptions options;
    private final Batcher batcher;
    private final ServiceMetrics metrics;
    private final Server server;
    private final ServerConnector connector;
    private final PrintStream log;
    private final ObjectMapper json = new ObjectMapper();
    private final byte[] viewer;
    /** Each colour map's 256 RGB colours, base64: the viewer recolours maps in the browser exactly as we do. */
    private final byte[] colormaps;
    private volatile boolean ready;

    private SaliencyService(SaliencyModel model, Batcher.Explainer explainer, ServiceOptions options, PrintStream log)
            throws IOException {
        this.model = model;
        this.options = options;
        this.log = log;
        try (InputStream page = SaliencyService.class.getResourceAsStream(VIEWER)) {
            this.viewer = page.readAllBytes();
        }
        ObjectNode tables = json.createObjectNode();
        for (ColorMap map : ColorMap.values()) {
            tables.put(map.name().toLowerCase(Locale.ROOT),
                    Base64.getEncoder().encodeToString(Renderer.colorTable(map)));
        }
        this.colormaps = json.writeValueAsBytes(tables);
        this.metrics = new ServiceMetrics(this::queueDepth, NativeMemory::residentBytes);
        this.batcher = new Batcher(explainer, options.maxBatch(), options.maxWaitMs(), options.queueCapacity(),
                options.timeoutMs(), metrics, log);
        QueuedThreadPool threads = new QueuedThreadPool(options.threads());
        threads.setName("saliency4j-http");
        this.server = new Server(threads);
        this.connector = new ServerConnector(server);
        connector.setHost(options.host());
        connector.setPort(options.port());
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new Routes()));
        server.setStopTimeout(SHUTDOWN_STOP_MS);
    }

    /**
     * Starts serving {@code model} (already loaded and warmed up, so ready at once). The service owns the model
     * from now on and closes it on {@link #close()}.
     *
     * @param log one line per request: method, path, status, milliseconds (nothing from the body or query)
     */
    public static SaliencyService start(SaliencyModel model, ServiceOptions options, PrintStream log)
            throws Exception {
        return start(model, model::explainBatch, options, log);
    }

    /** {@link #start}, with the model's explanations made by {@code explainer} (tests inject faults with it). */
    static SaliencyService start(SaliencyModel model, Batcher.Explainer explainer, ServiceOptions options,
                                 PrintStream log) throws Exception {
        SaliencyService service = new SaliencyService(model, explainer, options, log);
        try {
            service.server.start();
        } catch (Exception e) {
            service.batcher.close(0, SHUTDOWN_STOP_MS);
            model.close();
            throw new SaliencyException(SaliencyException.Kind.OPTION, "--port", "cannot listen on "
                    + options.host() + ":" + options.port() + " (" + e.getMessage() + ")");
        }
        service.ready = true;
        return service;
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public String url() {
        return "http://" + options.host() + ":" + port() + "/";
    }

    /** Blocks until the service stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Within 20 s whatever runs: stops taking work, lets requests in flight finish for up to 8 s (or the request
     * timeout), answers the rest 503, stops the server, and frees the model once its worker has stopped using it.
     * A worker stuck inside a native pass cannot be stopped: the model is then left open, and the log says so.
     */
    @Override
    public void close() throws Exception {
        ready = false;
        boolean workerStopped = false;
        try {
            workerStopped = batcher.close(Math.min(options.timeoutMs(), SHUTDOWN_GRACE_MS), SHUTDOWN_STOP_MS);
        } finally {
            try {
                server.stop();
            } finally {
                if (workerStopped) {
                    model.close();
                } else {
                    log.println("saliency4j: the model's worker is still inside a pass after shutdown; "
                            + "the model is left open, not freed under it");
                }
            }
        }
    }

    private int queueDepth() {
        return batcher.depth();
    }

    /** Routes by path and method; every answer, errors included, is counted and logged once. */
    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            long start = System.nanoTime();
            String path = Request.getPathInContext(request);
            String route = route(path);
            int status;
            try {
                status = answer(route, request, response, callback);
            } catch (HttpError e) {
                Uploads.discardRest(request, 2 * options.maxBodyBytes());
                status = error(response, callback, e);
            } catch (RuntimeException e) {
                // A bug, never a bad input: those are HttpErrors or SaliencyExceptions by now.
                status = error(response, callback, new HttpError(500, "internal error: " + e));
                e.printStackTrace(log);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            metrics.request(route, status, seconds);
            log.printf(Locale.ROOT, "%s %s %d %.1f ms%n", request.getMethod(), route, status, seconds * 1e3);
            return true;
        }
    }

    private static String route(String path) {
        return switch (path) {
            case "/", "/v1/explain", "/v1/models", "/v1/colormaps", "/healthz", "/readyz", "/metrics" -> path;
            default -> "other";
        };
    }

    /** Answers one request; returns the status sent. */
    private int answer(String route, Request request, Response response, Callback callback) {
        String method = request.getMethod();
        return switch (route) {
            case "/v1/explain" -> {
                allow(method, "POST");
                yield explain(request, response, callback);
            }
            case "/" -> {
                allow(method, "GET");
                yield send(response, callback, 200, "text/html; charset=utf-8", viewer);
            }
            case "/v1/models" -> {
                allow(method, "GET");
                ModelInfo info = model.info();
                ObjectNode root = json.createObjectNode();
                root.putArray("models").addObject()
                        .put("name", info.name()).put("device", info.device()).put("classes", info.classes())
                        .put("input_size", info.inputSize())
                        .put("preprocess", model.preprocessing().mode().name().toLowerCase(Locale.ROOT));
                yield sendJson(response, callback, 200, root);
            }
            case "/v1/colormaps" -> {
                allow(method, "GET");
                yield send(response, callback, 200, "application/json", colormaps);
            }
            case "/healthz" -> {
                allow(method, "GET");
                yield sendJson(response, callback, 200, json.createObjectNode().put("status", "alive"));
            }
            case "/readyz" -> {
                allow(method, "GET");
                boolean up = ready && batcher.ready();
                String status = up ? "ready" : ready ? "worker unavailable" : "stopping";
                yield sendJson(response, callback, up ? 200 : 503,
                        json.createObjectNode().put("status", status));
            }
            case "/metrics" -> {
                allow(method, "GET");
                try {
                    yield send(response, callback, 200, metrics.contentType(), metrics.scrape());
                } catch (IOException e) {
                    throw new HttpError(500, "metrics: " + e.getMessage());
                }
            }
            default -> throw new HttpError(404, "no such path: " + Request.getPathInContext(request));
        };
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed) && !(allowed.equals("GET") && method.equals("HEAD"))) {
            throw new HttpError(405, "method " + method + " not allowed here (use " + allowed + ")");
        }
    }

    private int explain(Request request, Response response, Callback callback) {
        Map<String, String> params = queryParameters(request);
        ExplainQuery query = ExplainQuery.parse(params, request.getHeaders().get(HttpHeader.ACCEPT), model,
                options.maxWork());
        byte[] body = Uploads.image(request, options.maxBodyBytes());
        Picture picture;
        try {
            picture = model.decode(ImageInput.bytes("upload", body));
        } catch (SaliencyException e) {
            throw HttpError.of(e);
        }
        CompletableFuture<Explanation> pending = batcher.submit(ImageInput.picture("upload", picture),
                query.request());
        Explanation explanation;
        try {
            explanation = pending.get(options.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw HttpError.busy("not answered within " + options.timeoutMs() + " ms; retry shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            throw HttpError.busy("the service is shutting down");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SaliencyException s) {
                throw HttpError.of(s);
            }
            if (e.getCause() instanceof HttpError h) {
                throw h;
            }
            throw new IllegalStateException("explaining failed", e.getCause());
        }
        return switch (query.answer()) {
            case PNG -> send(response, callback, 200, query.answer().contentType,
                    explanation.render(query.render()).encode(ImageFormat.PNG));
            case JPEG -> send(response, callback, 200, query.answer().contentType,
                    explanation.render(query.render()).encode(ImageFormat.JPEG));
            case NPY -> send(response, callback, 200, query.answer().contentType,
                    NpyWriter.bytes(explanation.map().toTensor()));
            case JSON -> {
                ObjectNode record = ExplanationJson.of(json, explanation);
                if (query.includeMap()) {
                    ByteBuffer values = ByteBuffer.allocate(explanation.map().toArray().length * Float.BYTES)
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    values.asFloatBuffer().put(explanation.map().toArray());
                    record.putObject("map").put("width", explanation.map().width())
                            .put("height", explanation.map().height()).put("dtype", "float32-le")
                            .put("data", Base64.getEncoder().encodeToString(values.array()));
                }
                yield sendJson(response, callback, 200, record);
            }
        };
    }

    private static Map<String, String> queryParameters(Request request) {
        Fields fields;
        try {
            fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw new HttpError(400, "the query string cannot be read (" + e.getMessage() + ")");
        }
        Map<String, String> params = new HashMap<>();
        for (Fields.Field field : fields) {
            if (field.getValues().size() > 1) {
                throw new HttpError(400, "parameter '" + field.getName() + "' is given more than once");
            }
            params.put(field.getName(), field.getValue());
        }
        return params;
    }

    private int error(Response response, Callback callback, HttpError e) {
        if (e.retryAfter() != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfter());
        }
        if (e.status() == 405) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
        }
        return sendJson(response, callback, e.status(),
                json.createObjectNode().put("error", e.getMessage()).put("status", e.status()));
    }

    private int sendJson(Response response, Callback callback, int status, ObjectNode body) {
        try {
            return send(response, callback, status, "application/json", json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static int send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
        return status;
    }
}
