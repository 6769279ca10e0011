package org.saliency4j.cli;

import org.saliency4j.Baseline;
import org.saliency4j.method.Method;
import org.saliency4j.method.MethodSettings;
import org.saliency4j.method.Methods;
import picocli.CommandLine.Option;

/**
 * The attribution method and the parameters every command spells alike. The noise tunnels' sample count and seed
 * are the command's own options, since {@code eval} uses {@code --samples} and {@code --seed} for its images. Each
 * option's default and help come from the method registry ({@link MethodParameterHelp}, by its description key).
 */
final class MethodOptions {
    @Option(names = "--method", paramLabel = "METHOD[:BASE]", descriptionKey = MethodParameterHelp.METHOD)
    String method;

    @Option(names = "--noise", paramLabel = "SIGMA", descriptionKey = MethodParameterHelp.PREFIX + "noise")
    double noise;

    @Option(names = "--steps", descriptionKey = MethodParameterHelp.PREFIX + "steps")
    int steps;

    @Option(names = "--baseline", paramLabel = "zero|black|blur|uniform|FILE",
            descriptionKey = MethodParameterHelp.PREFIX + "baseline")
    String baseline;

    @Option(names = "--layer", paramLabel = "NAME", descriptionKey = MethodParameterHelp.PREFIX + "layer")
    String layer;

    Method method(int samples, long seed) {
        return Methods.parse(method, new MethodSettings(samples, noise, seed, steps, Baseline.parse(baseline),
                layer));
    }
}
