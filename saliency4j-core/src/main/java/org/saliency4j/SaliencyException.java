package org.saliency4j;

/**
 * A request that cannot be served: the message names the input (a file, an option, a model) and the problem.
 * The {@link Kind} lets callers map it onto an exit code or an HTTP status without parsing the message.
 */
public class SaliencyException extends RuntimeException {

    /** What was wrong. */
    public enum Kind {
        /** The image is missing, unreadable, empty, damaged or truncated. */
        IMAGE,
        /** The input is not an image, or its format is not supported. */
        IMAGE_FORMAT,
        /** The image has more bytes, or declares more pixels, than the limits allow (refused before decoding). */
        IMAGE_TOO_LARGE,
        /** The model file is missing, not TorchScript, or not an image classifier. */
        MODEL,
        /** The target class is unknown or out of range. */
        TARGET,
        /** An option has a value that cannot be used. */
        OPTION,
        /** The requested device does not exist on this machine. */
        DEVICE,
        /** Writing an output failed. */
        OUTPUT
    }

    private final Kind kind;
    private final String input;
    private final String problem;

    public SaliencyException(Kind kind, String input, String problem) {
        this(kind, input, problem, null);
    }

    public SaliencyException(Kind kind, String input, String problem, Throwable cause) {
        super(input + ": " + problem, cause);
        this.kind = kind;
        this.input = input;
        this.problem = problem;
    }

    public Kind kind() {
        return kind;
    }

    /** The input the problem is about: a file name, an option name, a model. */
    public String input() {
        return input;
    }

    /** The problem alone, without the input's name. */
    public String problem() {
        return problem;
    }
}
