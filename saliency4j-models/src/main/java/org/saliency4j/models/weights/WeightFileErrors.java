package org.saliency4j.models.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.saliency4j.SaliencyException;

/**
 * The one shape of a weight file's errors (the file named, the problem said, as a model error), and the one way
 * bytes are read from it at a position, where a short file is one of those errors.
 */
final class WeightFileErrors {
    private WeightFileErrors() {
    }

    /** Fills {@code buffer} from {@code position} on. */
    static void readFully(Path file, FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw of(file, "is truncated at byte " + (position + buffer.position()));
            }
        }
    }

    static SaliencyException of(Path file, String problem) {
        return new SaliencyException(SaliencyException.Kind.MODEL, file.toString(), problem);
    }

    static SaliencyException of(Path file, String problem, Throwable cause) {
        return new SaliencyException(SaliencyException.Kind.MODEL, file.toString(), problem, cause);
    }
}
