package org.saliency4j.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.saliency4j.SaliencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its answer, which may come from any thread, later than the handler's return: it is sent once
 * (a late second answer, say a timeout racing the model, is dropped), counted and logged once, and what the
 * request holds (a memory permit) is given back once the answer has gone, whichever way it went.
 */
final class Exchange {
    /** The access log: one line per answer, at INFO, under its own name so that it can be turned on alone. */
    static final Logger REQUESTS = LoggerFactory.getLogger("org.saliency4j.server.requests");
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
    final Request request;
    private final Response response;
    private final Callback callback;
    private final String route;
    private final ServiceMetrics metrics;
    private final long start = System.nanoTime();
    private final AtomicBoolean answered = new AtomicBoolean();
    private final List<Runnable> atEnd = new ArrayList<>();
    private boolean ended;

    Exchange(Request request, Response response, Callback callback, String route, ServiceMetrics metrics) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.route = route;
        this.metrics = metrics;
    }

    String route() {
        return route;
    }

    /** Runs {@code action} once the answer has been sent or failed; at once if that is already so. */
    void atEnd(Runnable action) {
        synchronized (atEnd) {
            if (!ended) {
                atEnd.add(action);
                return;
            }
        }
        action.run();
    }

    void send(int status, String contentType, byte[] body) {
        send(status, contentType, body, false, null, () -> {
        });
    }

    /**
     * The failure's JSON answer. With {@code discard}, the request was refused before its body was read: the
     * connection closes after the answer, once {@code discard} has dropped what the client still sends. A 408 or
     * 413 closes it too: the body was cut off.
     */
    void fail(Throwable failure, Discard discard) {
        HttpError error = asHttpError(failure);
        send(error.status(), "application/json", JsonErrorHandler.body(error.status(), error.getMessage()),
                discard != null || error.status() == 408 || error.status() == 413, discard, () -> {
                    if (error.retryAfter() != null) {
                        response.getHeaders().put(HttpHeader.RETRY_AFTER, error.retryAfter());
                    }
                    if (error.status() == 405) {
                        response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
                    }
                });
    }

    void fail(Throwable failure) {
        fail(failure, null);
    }

    /** Reads and drops a refused request's unread body, then calls back. */
    interface Discard {
        void discard(Request request, Runnable done);
    }

    private HttpError asHttpError(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpError h) {
            return h;
        }
        if (cause instanceof SaliencyException s) {
            return HttpError.of(s);
        }
        if (cause instanceof CancellationException) {
            return HttpError.busy("the request was cancelled");
        }
        // A bug or a resource running out, never a bad input: those are HttpErrors or SaliencyExceptions by now.
        LOG.error("internal error answering {} {}", request.getMethod(), route, cause);
        return new HttpError(500, "internal error: " + cause.getClass().getSimpleName());
    }

    /**
     * Sends the answer unless one was sent already; {@code headers} adds the answer's own headers, only once this
     * answer has won (a timeout racing a success must not touch the success's headers).
     */
    private void send(int status, String contentType, byte[] body, boolean close, Discard discard,
                      Runnable headers) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        headers.run();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (close) {
            // Unread or cut-off body: the connection cannot carry another request.
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        metrics.request(route, status, seconds);
        if (REQUESTS.isInfoEnabled()) {
            REQUESTS.info(String.format(Locale.ROOT, "%s %s %d %.1f ms", request.getMethod(), route, status,
                    seconds * 1e3));
        }
        response.write(true, ByteBuffer.wrap(body), Callback.from(() -> {
            end();
            if (discard != null) {
                discard.discard(request, callback::succeeded);
            } else {
                callback.succeeded();
            }
        }, failure -> {
            end();
            callback.failed(failure);
        }));
    }

    private void end() {
        List<Runnable> actions;
        synchronized (atEnd) {
            ended = true;
            actions = List.copyOf(atEnd);
            atEnd.clear();
        }
        actions.forEach(Runnable::run);
    }
}
