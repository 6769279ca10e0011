package org.saliency4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/** Reads the uploaded image of a request, within a byte limit, from a raw body or a multipart form. */
final class Uploads {
    private Uploads() {
    }

    /**
     * The image bytes: the raw body for an image content type (or application/octet-stream), or the multipart
     * field {@code image}. The declared length is checked before reading, the read length while reading.
     */
    static byte[] image(Request request, long maxBytes) {
        long declared = request.getLength();
        if (declared > maxBytes) {
            throw new HttpError(413, "the body has " + declared + " bytes, more than the limit of "
                    + maxBytes);
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String mime = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        byte[] body;
        if (mime.equals("multipart/form-data")) {
            body = multipart(request, type, maxBytes);
        } else if (mime.startsWith("image/") || mime.equals("application/octet-stream")) {
            body = readLimited(Request.asInputStream(request), maxBytes);
        } else {
            throw new HttpError(415, "Content-Type " + (type == null ? "(none)" : "'" + type + "'")
                    + ": send the image's bytes with an image/* type, or multipart/form-data with a field 'image'");
        }
        if (body.length == 0) {
            throw new HttpError(422, "upload: the body is empty");
        }
        return body;
    }

    private static byte[] multipart(Request request, String contentType, long maxBytes) {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null) {
            throw new HttpError(400, "multipart/form-data without a boundary");
        }
        // Parts stay in memory, bounded by the body limit: nothing of a request is written to disk.
        MultiPartConfig config = new MultiPartConfig.Builder().maxParts(8).maxSize(maxBytes)
                .maxPartSize(maxBytes).maxMemoryPartSize(maxBytes).build();
        try (MultiPartFormData.Parts parts = MultiPartFormData.getParts(request, request, contentType, config)) {
            MultiPart.Part image = parts.getFirst("image");
            if (image == null) {
                throw new HttpError(400, "multipart/form-data without a field 'image'");
            }
            return readLimited(Content.Source.asInputStream(image.createContentSource()), maxBytes);
        } catch (HttpError e) {
            throw e;
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (message.toLowerCase(Locale.ROOT).contains("max")) {
                throw new HttpError(413, "the multipart body exceeds the limit of " + maxBytes
                        + " bytes");
            }
            throw new HttpError(400, "the multipart body cannot be read (" + e + ")");
        }
    }

    /**
     * Reads and drops what is left of a refused request's body, up to {@code cap} bytes. A client still sending
     * when the answer comes and the connection closes would see a reset instead of the 4xx; a body longer than
     * the cap is not worth reading, and that client does.
     */
    static void discardRest(Request request, long cap) {
        long declared = request.getLength();
        if (declared > cap) {
            return;
        }
        try (InputStream in = Request.asInputStream(request)) {
            long left = cap;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // Already consumed, or the client is gone: either way there is nothing left to drain.
        }
    }

    private static byte[] readLimited(InputStream in, long maxBytes) {
        try (in) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new HttpError(413, "the body is larger than the limit of " + maxBytes + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new HttpError(400, "the body cannot be read (" + e.getMessage() + ")");
        }
    }

}
