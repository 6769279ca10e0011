package org.saliency4j.server;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body into memory without holding a thread: it asks Jetty to call back when bytes arrive
 * ({@link Content.Source#demand}) and returns between chunks. Three bounds are set before the first byte: the
 * body's size ({@code maxBytes}, answered 413), its pace, a minimum data rate after a grace period (answered 408),
 * and its whole duration (answered 408), so a client trickling its body, or sending a large one just fast enough,
 * cannot keep a connection, an upload slot and its buffer for long.
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
    /** The most the buffer grows to: the declared length, or the limit when none is declared. */
    private final long capacity;
    /** Bytes received; written by the reading thread, read by the rate check (hence volatile). */
    private volatile int received;

    private BodyReader(Content.Source source, long declaredLength, long maxBytes, long minBytesPerSecond,
                       Scheduler scheduler) {
        this.source = source;
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = minBytesPerSecond;
        this.scheduler = scheduler;
        // Start small and grow as bytes arrive (at most to the declared length, itself checked against maxBytes):
        // a client that declares a large body and trickles it holds what it sent, not what it declared.
        this.data = new byte[(int) Math.min(FIRST_BUFFER, declaredLength >= 0 ? declaredLength : maxBytes)];
        this.capacity = declaredLength >= 0 ? declaredLength : maxBytes;
    }

    /**
     * The whole body, or a failure with an {@link HttpError}: 413 past {@code maxBytes}, 408 when the body
     * arrives slower than {@code minBytesPerSecond} after {@link #GRACE_MS}, 400 when the connection fails.
     *
     * @param declaredLength the Content-Length, at most {@code maxBytes}, or -1 when not declared
     * @param maxMillis      the longest the whole body may take
     */
    static CompletableFuture<byte[]> read(Content.Source source, long declaredLength, long maxBytes,
                                          long minBytesPerSecond, long maxMillis, Scheduler scheduler) {
        BodyReader reader = new BodyReader(source, declaredLength, maxBytes, minBytesPerSecond, scheduler);
        reader.scheduleRateCheck(0);
        Scheduler.Task deadline = scheduler.schedule(() -> reader.result.completeExceptionally(new HttpError(408,
                "the body was not received within " + maxMillis + " ms")), maxMillis, TimeUnit.MILLISECONDS);
        reader.result.whenComplete((body, failure) -> deadline.cancel());
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
                    // An idle connection's timeout is the client's slowness (408); anything else a broken body.
                    result.completeExceptionally(chunk.getFailure() instanceof java.util.concurrent.TimeoutException
                            ? new HttpError(408, "the body stopped arriving (" + chunk.getFailure().getMessage() + ")")
                            : new HttpError(400, "the body cannot be read (" + chunk.getFailure().getMessage() + ")"));
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
            data = Arrays.copyOf(data, (int) Math.max(received + (long) n, Math.min(capacity, 2L * data.length)));
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
