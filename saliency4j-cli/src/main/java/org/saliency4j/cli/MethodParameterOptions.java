package org.saliency4j.cli;

import org.saliency4j.Baseline;
import org.saliency4j.method.HeadFusion;
import org.saliency4j.method.Method;
import org.saliency4j.method.MethodParameters;
import org.saliency4j.method.MethodSettings;
import org.saliency4j.method.Methods;
import org.saliency4j.method.Quadrature;
import picocli.CommandLine.Option;

/**
 * The methods' parameters every command spells alike, for commands that name one method ({@link MethodOptions})
 * or several ({@code eval faithfulness --methods}). The noise tunnels' sample count and seed are the command's own
 * options, since {@code eval} uses {@code --samples} and {@code --seed} for its images. Each option's default,
 * help and converter come from the method parameters ({@link VocabularyOptions}, by its description key).
 */
final class MethodParameterOptions {
    @Option(names = "--noise", paramLabel = "SIGMA", descriptionKey = "noise")
    double noise;

    @Option(names = "--steps", paramLabel = "N|auto", descriptionKey = "steps",
            converter = VocabularyOptions.StepCount.class)
    int steps;

    @Option(names = "--tolerance", descriptionKey = "tolerance")
    double tolerance;

    @Option(names = "--max-steps", descriptionKey = "max-steps")
    int maxSteps;

    @Option(names = "--integration", paramLabel = "midpoint|gauss-legendre", descriptionKey = "integration")
    Quadrature integration;

    @Option(names = "--baseline", paramLabel = "zero|black|blur|uniform|FILE",
            descriptionKey = "baseline")
    Baseline baseline;

    @Option(names = "--head-fusion", paramLabel = "mean|max|min", descriptionKey = "head-fusion")
    HeadFusion headFusion;

    @Option(names = "--layer", paramLabel = "NAME", descriptionKey = "layer")
    String layer;

    @Option(names = "--window", paramLabel = "PIXELS", descriptionKey = "window")
    int window;

    @Option(names = "--stride", paramLabel = "PIXELS", descriptionKey = "stride")
    int stride;

    @Option(names = "--masks", paramLabel = "N", descriptionKey = "masks")
    int masks;

    @Option(names = "--cells", paramLabel = "N", descriptionKey = "cells")
    int cells;

    @Option(names = "--keep", paramLabel = "P", descriptionKey = "keep")
    double keep;

    /** The method {@code spec} names, with these parameters. */
    Method method(String spec, int samples, long seed) {
        return Methods.parse(spec, MethodSettings.defaults().with(MethodParameters.SAMPLES, samples)
                .with(MethodParameters.NOISE, noise).with(MethodParameters.SEED, seed)
                .with(MethodParameters.STEPS, steps).with(MethodParameters.TOLERANCE, tolerance)
                .with(MethodParameters.MAX_STEPS, maxSteps).with(MethodParameters.INTEGRATION, integration)
                .with(MethodParameters.BASELINE, baseline).with(MethodParameters.HEAD_FUSION, headFusion)
                .with(MethodParameters.LAYER, layer).with(MethodParameters.WINDOW, window)
                .with(MethodParameters.STRIDE, stride).with(MethodParameters.MASKS, masks)
                .with(MethodParameters.CELLS, cells).with(MethodParameters.KEEP, keep));
    }
}
