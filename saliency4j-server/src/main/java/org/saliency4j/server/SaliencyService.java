package org.saliency4j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.saliency4j.io.PictureEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
import org.eclipse.jetty.util.thread.Scheduler;
import org.saliency4j.ColorMap;
import org.saliency4j.explain.Explanation;
import org.saliency4j.ImageFormat;
import org.saliency4j.Geometry;
import org.saliency4j.ImageInput;
import org.saliency4j.ImageSize;
import org.saliency4j.ModelInfo;
import org.saliency4j.Picture;
import org.saliency4j.RenderKind;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.internal.image.Renderer;
import org.saliency4j.io.ExplanationJson;
import org.saliency4j.io.NpyWriter;
import org.saliency4j.internal.torch.NativeMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The headless rendering service: {@code POST /v1/explain}, {@code GET /v1/models}, {@code /v1/methods},
 * {@code /v1/colormaps}, {@code /healthz}, {@code /readyz}, {@code /metrics} and the viewer page at {@code /}. No
 * request holds a thread while it waits:
 * bodies are read as their bytes arrive (bounded in size, rate and number), each image is admitted under one
 * process-wide {@link MemoryBudget} weighed from its header, decoded and rendered on a pool of one thread per core,
 * and explained in batches by a {@link Batcher}, whose answer completes the request. Every answer that is not a
 * success, Jetty's own included, is {@code {"error": ..., "status": ...}} as JSON; the service keeps serving.
 * {@link #close()} stops accepting, finishes what is in flight, and frees the model. Like a model, the service
 * leaves libtorch's process-wide settings alone: the program that starts it calls
 * {@link org.saliency4j.explain.Engine#configure} first, as {@code saliency4j serve} does.
 */
public final class SaliencyService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SaliencyService.class);
    private static final String VIEWER = "/org/saliency4j/server/viewer.html";
    /**
     * Shutdown within 20 s whatever runs: queued and running requests get up to this (or the request timeout, if
     * shorter) to finish, then are answered 503 and the model's worker stops at its next pass...
     */
    private static final long SHUTDOWN_GRACE_MS = 8_000;
    /** ...which it gets this long to do; then Jetty gets as long to send the last answers and close connections. */
    private static final long SHUTDOWN_STOP_MS = 3_000;
    /** ...then answers already made get this long to be rendered and sent. (8 + 3 + 2 + Jetty's 3 s: under 20 s.) */
    private static final long SHUTDOWN_RENDER_MS = 2_000;
    /**
     * What rendering at the original size adds per pixel of the rendering: the warped map (floats), the colour
     * layers, the blend and the encoded answer. Measured on a 7900 x 7900 PNG (2026-12-01, this project's 2-core
     * machine): resident memory rose about 12 bytes a pixel for the crop and 27 for the original geometry.
     */
    private static final long RENDER_ORIGINAL_BYTES_PER_PIXEL = 20;

    private final SaliencyModel model;
    private final ServiceOptions options;
    private final Batcher batcher;
    private final ServiceMetrics metrics;
    private final Server server;
    private final ServerConnector connector;
    /** Decoding and rendering: one thread per core, fed only with requests the memory budget admitted. */
    private final ExecutorService work;
    private final MemoryBudget budget;
    private final Semaphore uploads;
    /** Requests not yet answered, so that shutdown can answer each. */
    private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
    private final ObjectMapper json = new ObjectMapper();
    private final byte[] viewer;
    /** Each colour map's 256 RGB colours, base64: the viewer recolours maps in the browser exactly as we do. */
    private final byte[] colormaps;
    /** The methods and their parameters, as {@code GET /v1/methods} lists them. */
    private final byte[] methods;
    private volatile boolean ready;

    private SaliencyService(SaliencyModel model, Batcher.Explainer explainer, ServiceOptions options)
            throws IOException {
        this.model = model;
        this.options = options;
        try (InputStream page = SaliencyService.class.getResourceAsStream(VIEWER)) {
            this.viewer = page.readAllBytes();
        }
        ObjectNode tables = json.createObjectNode();
        for (ColorMap map : ColorMap.values()) {
            tables.put(map.name().toLowerCase(Locale.ROOT),
                    Base64.getEncoder().encodeToString(Renderer.colorTable(map)));
        }
        this.colormaps = json.writeValueAsBytes(tables);
        this.methods = json.writeValueAsBytes(ExplainQuery.methods(json));
        QueuedThreadPool threads = new QueuedThreadPool(options.threads());
        threads.setName("saliency4j-http");
        // No threads parked in reserve: the connector's and the requests' threads are all that ServiceOptions counts.
        threads.setReservedThreads(0);
        this.server = new Server(threads);
        this.connector = new ServerConnector(server, ServiceOptions.ACCEPTORS, ServiceOptions.SELECTORS);
        connector.setHost(options.host());
        connector.setPort(options.port());
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new Routes()));
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(SHUTDOWN_STOP_MS);
        this.work = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), runnable -> {
            Thread thread = new Thread(runnable, "saliency4j-work");
            thread.setDaemon(true);
            return thread;
        });
        this.budget = new MemoryBudget(options.memoryBudgetBytes(), server.getScheduler());
        this.uploads = new Semaphore(options.maxUploads());
        this.metrics = new ServiceMetrics(this::queueDepth, NativeMemory::residentBytes, budget::used,
                () -> options.maxUploads() - uploads.availablePermits());
        this.batcher = new Batcher(explainer, options.maxBatch(), model.batch(), options.maxWaitMs(),
                options.queueCapacity(), options.timeoutMs(), metrics, options.workers());
    }

    /**
     * Starts serving {@code model} (already loaded and warmed up, so ready at once). The service owns the model
     * from now on and closes it on {@link #close()}.
     *
     * <p>The service logs through SLF4J: one line per request at INFO under {@code org.saliency4j.server.requests}
     * (method, path, status, milliseconds; nothing from the body or query), failures and shutdown problems at
     * WARN or ERROR under its classes' names.
     */
    public static SaliencyService start(SaliencyModel model, ServiceOptions options) throws Exception {
        return start(model, model::explainBatch, options);
    }

    /** {@link #start}, with the model's explanations made by {@code explainer} (tests inject faults with it). */
    static SaliencyService start(SaliencyModel model, Batcher.Explainer explainer, ServiceOptions options)
            throws Exception {
        SaliencyService service;
        try {
            checkHost(options.host());
            service = new SaliencyService(model, explainer, options);
        } catch (Exception | Error e) {
            model.close();
            throw e;
        }
        try {
            service.server.start();
        } catch (Exception e) {
            try {
                service.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            // The address was checked: a bind that still fails is the port's (taken, or privileged).
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    throw new SaliencyException(SaliencyException.Kind.OPTION, "port", "cannot listen on "
                            + options.host() + ":" + options.port() + " (" + cause.getMessage() + ")");
                }
            }
            throw e;
        }
        service.ready = true;
        return service;
    }

    /** The host must name an address of this machine (or the wildcard): else no port could be listened on. */
    private static void checkHost(String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "host", "cannot resolve '" + host + "'");
        }
        boolean local;
        try {
            local = address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            local = false;
        }
        if (!local) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "host", "'" + host + "' ("
                    + address.getHostAddress() + ") is not an address of this machine");
        }
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
            // Requests the worker answered are being rendered: they get a moment to be sent. Those still
            // uploading, waiting for memory or being decoded, and any render slower than that, are answered 503
            // before the connections close.
            long renderDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_RENDER_MS);
            while (!inFlight.isEmpty() && System.nanoTime() - renderDeadline < 0) {
                Thread.sleep(10);
            }
            HttpError stopping = HttpError.busy("the service is shutting down");
            inFlight.forEach(exchange -> exchange.fail(stopping));
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("the server did not stop within {} ms ({}); its connections are closed", SHUTDOWN_STOP_MS,
                        e.getClass().getSimpleName());
            } finally {
                work.shutdownNow();
                if (workerStopped) {
                    model.close();
                } else {
                    LOG.warn("the model's worker is still inside a pass after shutdown; the model is left open, "
                            + "not freed under it");
                }
            }
        }
    }

    private int queueDepth() {
        return batcher.depth();
    }

    /** Routes by path and method; every answer, errors included, is counted and logged once ({@link Exchange}). */
    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Exchange exchange = new Exchange(request, response, callback, route(Request.getPathInContext(request)),
                    metrics);
            inFlight.add(exchange);
            exchange.atEnd(() -> inFlight.remove(exchange));
            try {
                answer(exchange);
            } catch (RuntimeException | Error e) {
                exchange.fail(e, exchange.route().equals("/v1/explain") ? this::discard : null);
            }
            return true;
        }

        private void discard(Request request, Runnable done) {
            Uploads.discard(request, 2 * options.maxBodyBytes(), server.getScheduler(), done);
        }
    }

    private static String route(String path) {
        return switch (path) {
            case "/", "/v1/explain", "/v1/models", "/v1/methods", "/v1/colormaps", "/healthz", "/readyz", "/metrics" ->
                    path;
            default -> "other";
        };
    }

    /** Answers one request, now or, for an explanation, when its work is done. */
    private void answer(Exchange exchange) {
        String method = exchange.request.getMethod();
        switch (exchange.route()) {
            case "/v1/explain" -> {
                allow(method, "POST");
                explain(exchange);
            }
            case "/" -> {
                allow(method, "GET");
                exchange.send(200, "text/html; charset=utf-8", viewer);
            }
            case "/v1/models" -> {
                allow(method, "GET");
                ModelInfo info = model.info();
                ObjectNode root = json.createObjectNode();
                root.putArray("models").addObject()
                        .put("name", info.name()).put("device", info.device()).put("classes", info.classes())
                        .put("input_size", info.inputSize())
                        .put("preprocess", model.preprocessing().mode().name().toLowerCase(Locale.ROOT));
                sendJson(exchange, 200, root);
            }
            case "/v1/methods" -> {
                allow(method, "GET");
                exchange.send(200, "application/json", methods);
            }
            case "/v1/colormaps" -> {
                allow(method, "GET");
                exchange.send(200, "application/json", colormaps);
            }
            case "/healthz" -> {
                allow(method, "GET");
                sendJson(exchange, 200, json.createObjectNode().put("status", "alive"));
            }
            case "/readyz" -> {
                allow(method, "GET");
                boolean up = ready && batcher.ready();
                String status = up ? "ready" : ready ? "worker unavailable" : "stopping";
                sendJson(exchange, up ? 200 : 503, json.createObjectNode().put("status", status));
            }
            case "/metrics" -> {
                allow(method, "GET");
                try {
                    exchange.send(200, metrics.contentType(), metrics.scrape());
                } catch (IOException e) {
                    throw new HttpError(500, "metrics: " + e.getMessage());
                }
            }
            default -> throw new HttpError(404, "no such path: " + Request.getPathInContext(exchange.request));
        }
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed) && !(allowed.equals("GET") && method.equals("HEAD"))) {
            throw new HttpError(405, "method " + method + " not allowed here (use " + allowed + ")");
        }
    }

    /**
     * Refuses what the query and headers can refuse before reading a byte of the body; then, each step starting
     * when the one before completes, on no thread while it waits: the body, admission under the memory budget
     * (weighed from the image's header), decoding, the model, rendering. A request not answered within the timeout
     * after its body arrived is answered 503 and its work cancelled, as it is when the client goes away.
     */
    private void explain(Exchange exchange) {
        Request request = exchange.request;
        ExplainQuery query = ExplainQuery.parse(queryParameters(request), request.getHeaders().get(HttpHeader.ACCEPT),
                model, options.maxWork());
        Uploads.checkHeaders(request, options.maxBodyBytes());
        if (!uploads.tryAcquire()) {
            throw HttpError.busy(options.maxUploads() + " uploads are being received; retry shortly");
        }
        CompletableFuture<byte[]> body;
        try {
            body = Uploads.image(request, options.maxBodyBytes(), options.minBodyRate(), options.timeoutMs(),
                    server.getScheduler());
        } catch (RuntimeException | Error e) {
            uploads.release();
            throw e;
        }
        body.whenComplete((bytes, failure) -> step(exchange, () -> {
            if (failure != null) {
                uploads.release();
                exchange.fail(failure);
                return;
            }
            // From here the request's own deadline bounds it: a connection idle while it waits for its turn or
            // the model (or cut short when the service stops) does not fail it.
            request.addIdleTimeoutListener(idle -> false);
            // The body keeps its upload slot until it is admitted: bodies waiting for memory count among the
            // uploads, so at most --max-uploads bodies are held at once, whatever they wait for.
            admit(exchange, query, new ImageInput.Bytes("upload", bytes),
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.timeoutMs()), uploads::release);
        }));
    }

    /**
     * Waits (until the deadline, at most) for the budget the image needs, then decodes it on the work pool and
     * hands it to the batcher. The permit is held until the answer is sent and the batcher has let go of the image.
     *
     * @param admitted run once when admission ends, either way
     */
    private void admit(Exchange exchange, ExplainQuery query, ImageInput.Bytes upload, long deadline,
                       Runnable admitted) {
        CompletableFuture<MemoryBudget.Permit> admission;
        try {
            ImageSize size = model.declaredSize(upload);
            admission = budget.acquire(weight(size, upload, query.render()), millisUntil(deadline), "a " + size.width() + "x"
                    + size.height() + " image" + (query.render().geometry() == Geometry.ORIGINAL
                    ? " rendered at its size" : ""));
        } catch (RuntimeException | Error e) {
            admitted.run();
            throw e;
        }
        exchange.request.addFailureListener(gone -> admission.cancel(true));
        admission.whenComplete((permit, failure) -> step(exchange, () -> {
            admitted.run();
            if (failure != null) {
                exchange.fail(failure);
                return;
            }
            SharedPermit memory = new SharedPermit(permit);
            exchange.atEnd(memory::release);
            run(exchange, () -> {
                Picture picture = model.decode(upload);
                memory.hold();
                CompletableFuture<Explanation> pending;
                try {
                    pending = batcher.submit(ImageInput.picture("upload", picture), query.request(), query.passes(),
                            memory::release);
                } catch (RuntimeException | Error e) {
                    memory.release();
                    throw e;
                }
                await(exchange, query, pending, deadline);
            });
        }));
    }

    /**
     * What an image weighs in the memory budget while it is decoded, explained and rendered, from its header: the
     * decoder's estimate for its channels and sample size ({@link ImageSize#decodingBytes()}), the decoder's own
     * copy of the encoded bytes, and for a rendering at the original size the rendering's pixels (three panels
     * for {@code render=panel}) at {@link #RENDER_ORIGINAL_BYTES_PER_PIXEL}.
     */
    private static long weight(ImageSize size, ImageInput.Bytes upload, RenderOptions render) {
        // The header's size is within --max-pixels by now, so none of these sums can overflow.
        long weight = size.decodingBytes() + upload.encoded().length;
        if (render.geometry() == Geometry.ORIGINAL) {
            long panels = render.kind() == RenderKind.PANEL ? 3 : 1;
            weight += panels * size.pixels() * RENDER_ORIGINAL_BYTES_PER_PIXEL;
        }
        return weight;
    }

    /**
     * Answers when the model's future completes, rendering on the work pool; cancels it (which stops the batcher's
     * work on it) at the deadline or when the client goes away.
     */
    private void await(Exchange exchange, ExplainQuery query, CompletableFuture<Explanation> pending, long deadline) {
        long waitMs = millisUntil(deadline);
        Scheduler.Task timeout = server.getScheduler().schedule(() -> {
            // Answered first, then cancelled: cancelling completes the future, whose own listener would answer
            // "cancelled" instead of saying why.
            if (!pending.isDone()) {
                exchange.fail(HttpError.timedOut(options.timeoutMs()));
                pending.cancel(true);
            }
        }, waitMs, TimeUnit.MILLISECONDS);
        exchange.request.addFailureListener(gone -> pending.cancel(true));
        pending.whenComplete((explanation, failure) -> step(exchange, () -> {
            timeout.cancel();
            if (failure != null) {
                exchange.fail(failure);
            } else {
                run(exchange, () -> render(exchange, query, explanation));
            }
        }));
    }

    /**
     * Runs a continuation of a request's chain; whatever it throws, errors included, fails that request (a
     * CompletableFuture would swallow it, and the request would never be answered).
     */
    private static void step(Exchange exchange, Runnable continuation) {
        try {
            continuation.run();
        } catch (RuntimeException | Error e) {
            exchange.fail(e);
        }
    }

    /** Runs a step on the work pool; whatever it throws, errors included, fails its own request only. */
    private void run(Exchange exchange, Runnable step) {
        try {
            work.execute(() -> step(exchange, step));
        } catch (RejectedExecutionException e) {
            exchange.fail(HttpError.busy("the service is shutting down"));
        }
    }

    private static long millisUntil(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private void render(Exchange exchange, ExplainQuery query, Explanation explanation) {
        String type = query.answer().contentType;
        switch (query.answer()) {
            case PNG -> exchange.send(200, type, PictureEncoder.png(explanation.render(query.render())));
            case JPEG -> exchange.send(200, type,
                    PictureEncoder.encode(explanation.render(query.render()), ImageFormat.JPEG));
            case NPY -> exchange.send(200, type, NpyWriter.bytes(explanation.map().toTensor()));
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
                sendJson(exchange, 200, record);
            }
        }
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

    private void sendJson(Exchange exchange, int status, ObjectNode body) {
        try {
            exchange.send(status, "application/json", json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
