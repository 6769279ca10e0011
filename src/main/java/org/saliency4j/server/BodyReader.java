package org.saliency4j.server;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body into memory without holding a thread: it asks Jetty to call back when bytes arrive
 * ({@link Content.Source#demand}) and returns between chunks. Two bounds are set before the first byte: the body's
 * size ({@code maxBytes}, answered 413) and its pace, a minimum data rate after a grace period (answered 408), so
 * a client trickling its body cannot keep a connection and its buffer for long.
 */
final class BodyReader {
    /** The time any body gets before the rate is enforced: connection set-up and a slow start. */
    static final long GRACE_MS = 2_000;
    private static final int FIRST_BUFFER = 64 * 1024;

    private final Content.Source source;
    private final long maxBytes;
    private final long minBytesPerSecond;
    private final Scheduler scheduler;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private byte[] data;
    /** Bytes received; written by the reading thread, read by the rate check (hence volatile). */
    private volatile int received;

    private BodyReader(Content.Source source, long declaredLength, long maxBytes, long minBytesPerSecond,
                       Scheduler scheduler) {
        this.source = source;
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = minBytesPerSecond;
        this.scheduler = scheduler;
        // A declared length is already checked against maxBytes; without one, start small and grow.
        this.data = new byte[(int) (declaredLength >= 0 ? declaredLength : Math.min(FIRST_BUFFER, maxBytes))];
    }

    /**
     * The whole body, or a failure with an {@link HttpError}: 413 past {@code maxBytes}, 408 when the body
     * arrives slower than {@code minBytesPerSecond} after {@link #GRACE_MS}, 400 when the connection fails.
     *
     * @param declaredLength the Content-Length, at most {@code maxBytes}, or -1 when not declared
     */
    static CompletableFuture<byte[]> read(Content.Source source, long declaredLength, long maxBytes,
                                          long minBytesPerSecond, Scheduler scheduler) {
        BodyReader reader = new BodyReader(source, declaredLength, maxBytes, minBytesPerSecond, scheduler);
        reader.scheduleRateCheck(0);
        reader.readAvailable();
        return reader.result;
    }

    /** Reads every chunk available now, then asks to be called again when more arrives. */
    private void readAvailable() {
        while (!result.isDone()) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this::readAvailable);
                return;
            }
            try {
                if (Content.Chunk.isFailure(chunk)) {
                    result.completeExceptionally(new HttpError(400, "the body cannot be read ("
                            + chunk.getFailure().getMessage() + ")"));
                    return;
                }
                append(chunk.getByteBuffer());
                if (chunk.isLast() && !result.isDone()) {
                    result.complete(received == data.length ? data : Arrays.copyOf(data, received));
                }
            } finally {
                chunk.release();
            }
        }
    }

    private void append(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (received + (long) n > maxBytes) {
            result.completeExceptionally(new HttpError(413, "the body is larger than the limit of " + maxBytes
                    + " bytes"));
            return;
        }
        if (received + n > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(maxBytes, Math.max(2L * data.length, received + n)));
        }
        bytes.get(data, received, n);
        received += n;
    }

    /**
     * Checks the pace when the bytes received so far are all the rate allows for: by then more must have come,
     * or the body is too slow. One timer per upload, set again only when it fires.
     */
    private void scheduleRateCheck(int receivedAtLastCheck) {
        if (result.isDone()) {
            return;
        }
        long dueMs = GRACE_MS + receivedAtLastCheck * 1000L / minBytesPerSecond;
        long delayMs = Math.max(1, dueMs - elapsedMs());
        scheduler.schedule(() -> {
            int now = received;
            if (now <= receivedAtLastCheck && !result.isDone()) {
                result.completeExceptionally(new HttpError(408, "the body arrives too slowly: " + now
                        + " bytes in " + elapsedMs() + " ms, below the minimum of " + minBytesPerSecond
                        + " bytes per second"));
            } else {
                scheduleRateCheck(now);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
