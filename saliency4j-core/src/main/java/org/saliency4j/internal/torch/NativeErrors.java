package org.saliency4j.internal.torch;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shortens libtorch's exception texts (TorchScript tracebacks run to dozens of lines) to their cause. */
public final class NativeErrors {
    private static final int MAX_LENGTH = 300;
    /**
     * The Python-style cause that ends a TorchScript traceback: {@code RuntimeError: ...}, or, for an exception
     * a model raises itself, its qualified class ({@code builtins.RuntimeError: the message},
     * {@code __torch__.MyError: ...}).
     */
    private static final Pattern CAUSE = Pattern.compile("^(?:[A-Za-z_][\\w]*\\.)*([A-Za-z_]\\w*(?:Error|Exception)): (.*)");

    private NativeErrors() {
    }

    public static String summary(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String[] lines = message.strip().split("\n");
        String summary = lines[0].strip();
        for (int i = lines.length - 1; i >= 0; i--) {
            Matcher cause = CAUSE.matcher(lines[i].strip());
            if (cause.matches()) {
                summary = cause.group(1) + ": " + cause.group(2);
                break;
            }
        }
        // libtorch appends "Exception raised from ... (most recent call first)" and a C++ backtrace.
        int raised = summary.indexOf("Exception raised from");
        if (raised > 0) {
            summary = summary.substring(0, raised).strip();
        }
        return summary.length() > MAX_LENGTH ? summary.substring(0, MAX_LENGTH) + "..." : summary;
    }
}
