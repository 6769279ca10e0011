package org.saliency4j.server;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The uploaded image of a request, from a raw body or a multipart form, within a byte limit and a minimum data
 * rate: what the headers can refuse is refused before a byte of the body is read, and the body is read without
 * holding a thread ({@link BodyReader}).
 */
final class Uploads {
    /** How long a refused request's unread body is read and dropped, at most, so that its client sees the answer. */
    private static final long DISCARD_MS = 2_000;

    private Uploads() {
    }

    /**
     * Refuses from the headers alone: 413 for a declared length over the limit (so a client that sent
     * {@code Expect: 100-continue} gets the 413, not {@code 100 Continue}), 415 for a type that is not an image or
     * a multipart form.
     */
    static void checkHeaders(Request request, long maxBytes) {
        long declared = request.getLength();
        if (declared > maxBytes) {
            throw new HttpError(413, "the body has " + declared + " bytes, more than the limit of " + maxBytes);
        }
        String mime = mime(request);
        if (!mime.equals("multipart/form-data") && !mime.startsWith("image/")
                && !mime.equals("application/octet-stream")) {
            String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            throw new HttpError(415, "Content-Type " + (type == null ? "(none)" : "'" + type + "'")
                    + ": send the image's bytes with an image/* type, or multipart/form-data with a field 'image'");
        }
    }

    /**
     * The image bytes, once the body has arrived: the raw body for an image content type (or
     * application/octet-stream), or the multipart field {@code image}. Fails with an {@link HttpError}.
     */
    static CompletableFuture<byte[]> image(Request request, long maxBytes, long minBytesPerSecond, long maxMillis,
                                           Scheduler scheduler) {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        boolean multipart = mime(request).equals("multipart/form-data");
        return BodyReader.read(request, request.getLength(), maxBytes, minBytesPerSecond, maxMillis, scheduler)
                .thenApply(body -> {
                    byte[] image = multipart ? multipart(body, contentType, maxBytes) : body;
                    if (image.length == 0) {
                        throw new HttpError(422, "upload: the body is empty");
                    }
                    return image;
                });
    }

    /** Whether the client waits for {@code 100 Continue} before sending its body. */
    static boolean expectsContinue(Request request) {
        return request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString());
    }

    /**
     * Reads and drops what is left of a refused request's body, at most {@code maxBytes} and {@link #DISCARD_MS},
     * then runs {@code done}: a client still sending when the connection closes would see a reset instead of its
     * answer. Nothing is read for a client waiting for {@code 100 Continue}: it sends no body unless told to.
     */
    static void discard(Request request, long maxBytes, Scheduler scheduler, Runnable done) {
        if (expectsContinue(request) || request.getLength() > maxBytes) {
            done.run();
            return;
        }
        CompletableFuture<Void> finished = new CompletableFuture<>();
        finished.whenComplete((v, failure) -> done.run());
        Scheduler.Task deadline = scheduler.schedule(() -> finished.complete(null), DISCARD_MS,
                TimeUnit.MILLISECONDS);
        new Object() {
            long left = maxBytes;

            void drain() {
                while (!finished.isDone()) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this::drain);
                        return;
                    }
                    left -= chunk.remaining();
                    chunk.release();
                    if (chunk.isLast() || Content.Chunk.isFailure(chunk) || left < 0) {
                        deadline.cancel();
                        finished.complete(null);
                    }
                }
            }
        }.drain();
    }

    private static String mime(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    /** The field {@code image} of a multipart body already in memory (parsing it cannot block). */
    private static byte[] multipart(byte[] body, String contentType, long maxBytes) {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null) {
            throw new HttpError(400, "multipart/form-data without a boundary");
        }
        // Parts stay in memory, bounded by the body limit: nothing of a request is written to disk.
        MultiPartConfig config = new MultiPartConfig.Builder().maxParts(8).maxSize(maxBytes)
                .maxPartSize(maxBytes).maxMemoryPartSize(maxBytes).build();
        try (MultiPartFormData.Parts parts = MultiPartFormData.getParts(Content.Source.from(ByteBuffer.wrap(body)),
                new Attributes.Mapped(), contentType, config)) {
            MultiPart.Part image = parts.getFirst("image");
            if (image == null) {
                throw new HttpError(400, "multipart/form-data without a field 'image'");
            }
            return BufferUtil.toArray(Content.Source.asByteBuffer(image.createContentSource()));
        } catch (HttpError e) {
            throw e;
        } catch (java.io.IOException | RuntimeException e) {
            // The parser's own words, from the innermost cause: its wrappers only add Java class names.
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new HttpError(400, "the multipart body cannot be read (" + cause.getMessage() + ")");
        }
    }
}
