package org.saliency4j.models.weights;

import java.nio.file.Path;
import org.saliency4j.SaliencyException;

/** The one shape of a weight file's errors: the file named, the problem said, as a model error. */
final class WeightFileErrors {
    private WeightFileErrors() {
    }

    static SaliencyException of(Path file, String problem) {
        return new SaliencyException(SaliencyException.Kind.MODEL, file.toString(), problem);
    }

    static SaliencyException of(Path file, String problem, Throwable cause) {
        return new SaliencyException(SaliencyException.Kind.MODEL, file.toString(), problem, cause);
    }
}
