package org.saliency4j.cli;

import org.saliency4j.method.Method;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The attribution method ({@code --method}) and its parameters ({@link MethodParameterOptions}). */
final class MethodOptions {
    @Option(names = "--method", paramLabel = "METHOD[:BASE]", descriptionKey = "method")
    String method;

    @Mixin
    MethodParameterOptions parameters;

    Method method(int samples, long seed) {
        return parameters.method(method, samples, seed);
    }
}
