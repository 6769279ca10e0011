package org.saliency4j.server;

import org.saliency4j.SaliencyException;

/** A request the service answers with a 4xx or 5xx status and a JSON body naming the problem. */
final class HttpError extends RuntimeException {
    private final int status;
    private final String retryAfter;

    HttpError(int status, String message) {
        this(status, message, null);
    }

    private HttpError(int status, String message, String retryAfter) {
        super(message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** 503: the request's time ran out (the service is busy: its work is stopped). */
    static HttpError timedOut(long timeoutMs) {
        return busy("not answered within " + timeoutMs + " ms; retry shortly");
    }

    /** 503 with a {@code Retry-After} header: the service is busy, not broken. */
    static HttpError busy(String message) {
        return new HttpError(503, message, "1");
    }

    /**
     * The status a library error deserves: the client's input, never the server, is at fault. The library names
     * parameters neutrally ({@code target: ...}), as the query does.
     */
    static HttpError of(SaliencyException e) {
        int status = switch (e.kind()) {
            case IMAGE_FORMAT -> 415;
            case IMAGE_TOO_LARGE -> 413;
            // MODEL: the loaded model refused this input (a forward that fails on it), not a broken service.
            case IMAGE, TARGET, MODEL -> 422;
            case OPTION -> 400;
            case DEVICE, OUTPUT -> 500;
        };
        return new HttpError(status, e.getMessage());
    }

    int status() {
        return status;
    }

    /** Seconds, or null. */
    String retryAfter() {
        return retryAfter;
    }
}
