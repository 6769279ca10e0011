package org.saliency4j.cli;

import org.saliency4j.Baseline;
import org.saliency4j.Method;
import picocli.CommandLine.Option;

/**
 * The attribution method and the parameters every command spells alike. The noise tunnels' sample count and seed
 * are the command's own options, since {@code eval} uses {@code --samples} and {@code --seed} for its images, and
 * so is the batch size, which {@code bench} reads as images per pass ({@link ChunkOption} elsewhere).
 */
final class MethodOptions {
    @Option(names = "--method", defaultValue = "vanilla", paramLabel = "METHOD[:BASE]",
            description = "vanilla, gradient-x-input, integrated-gradients, guided-backprop, deconvnet, grad-cam, "
                    + "grad-cam++, guided-grad-cam, smoothgrad, smoothgrad-sq or vargrad; "
                    + "a noise tunnel may name its base, e.g. smoothgrad:gradient-x-input (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--noise", defaultValue = "0.15", paramLabel = "SIGMA",
            description = "Noise tunnels: noise std as a fraction of the input's range (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--steps", defaultValue = "64",
            description = "Integrated gradients: integration steps, midpoint rule (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--baseline", defaultValue = "zero", paramLabel = "zero|black|blur|uniform|FILE",
            description = "Integrated gradients: where the path starts (default: ${DEFAULT-VALUE}).")
    String baseline;

    @Option(names = "--layer", paramLabel = "NAME",
            description = "Grad-CAM family: the layer to weigh, a module path such as features.norm5 "
                    + "(default: the last layer with a spatial output; `saliency4j model layers` lists them).")
    String layer;

    Method method(int samples, long seed, int batch) {
        return Method.vanilla().withNoise(noise).withSteps(steps).withBaseline(Baseline.parse(baseline))
                .withBatch(batch).withSamples(samples).withSeed(seed).withLayer(layer).withSpec(method);
    }
}
