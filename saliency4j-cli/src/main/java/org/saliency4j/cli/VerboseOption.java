package org.saliency4j.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}, on every command: errors are one line, and this adds their stack traces. */
final class VerboseOption {
    static final String NAME = "--verbose";

    @Option(names = NAME, description = "Print stack traces with errors.")
    boolean verbose;
}
