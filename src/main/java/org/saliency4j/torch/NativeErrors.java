package org.saliency4j.torch;

/** Shortens libtorch's exception texts (TorchScript tracebacks run to dozens of lines) to their cause. */
final class NativeErrors {
    private static final int MAX_LENGTH = 300;

    private NativeErrors() {
    }

    static String summary(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        // A TorchScript traceback ends with the Python-style cause ("RuntimeError: ..."); prefer that line.
        String[] lines = message.strip().split("\n");
        String summary = lines[0].strip();
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (line.matches("^[A-Za-z]*Error: .*")) {
                summary = line;
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
