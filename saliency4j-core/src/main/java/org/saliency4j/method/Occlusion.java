package org.saliency4j.method;

import java.util.Optional;
import org.saliency4j.Baseline;

/**
 * Occlusion (Zeiler and Fergus, 2014), as Captum computes it: a square window over all three channels slides over
 * the input from its top-left corner, {@code stride} pixels at a time, until the input is covered (the last window of
 * a row or column may be cut off by the edge); at each position the window's pixels are replaced by the baseline's
 * and the input is scored, forward only; a pixel's attribution is the mean, over the windows that hide it, of
 * f(input) - f(occluded). No gradient is used, so any model will do.
 *
 * <p>One plane ({@link #channels()} 1): a window hides every channel at once, so each channel would hold the same
 * value (Captum's, with a window of (3, w, w)). Its cost, 1 + windows, falls as the stride grows, so it names no
 * {@link #costParameters() parameter to lower}.
 *
 * @param window   the side of the square hidden at a time, in input pixels
 * @param stride   the step between windows, at most the window so that every pixel is hidden at least once
 * @param baseline what a window shows instead of the input
 */
public record Occlusion(int window, int stride, Baseline baseline) implements Method {

    /**
     * @throws org.saliency4j.SaliencyException naming {@code window} or {@code stride} when out of bounds, or
     *                                          {@code stride} when larger than the window
     */
    public Occlusion {
        MethodParameters.WINDOW.check(window);
        MethodParameters.STRIDE.check(stride);
        if (stride > window) {
            throw MethodParameters.STRIDE.invalid("must be at most the window (" + window + "), else the pixels "
                    + "between two windows are never hidden, got " + stride);
        }
        if (baseline == null) {
            throw new IllegalArgumentException("baseline is required");
        }
    }

    /**
     * The windows over an input of the workload's size: positions down times positions across.
     *
     * @throws org.saliency4j.SaliencyException naming {@code window} when it is larger than the input
     */
    public long windows(Workload workload) {
        if (window > workload.height() || window > workload.width()) {
            throw MethodParameters.WINDOW.invalid("the window (" + window + " pixels) is larger than the "
                    + workload.height() + "x" + workload.width() + " input");
        }
        return (long) positions(workload.height()) * positions(workload.width());
    }

    /** Window positions along a side no shorter than the window: the first at 0, the last covering the end. */
    int positions(int side) {
        return 1 + (side - window + stride - 1) / stride;
    }

    /** The first pass, whose score is f(input), then one forward pass per window. */
    @Override
    public long passes(Workload workload) {
        return 1 + windows(workload);
    }

    /** A copy's own score, then its windows. */
    @Override
    public long passesPerCopy(Workload workload) {
        return 1 + windows(workload);
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public Optional<Baseline> reference() {
        return Optional.of(baseline);
    }

    /** Fewer windows: a larger stride (at most the window) or a larger window. */
    @Override
    public String cheaper() {
        return "raise " + MethodParameters.STRIDE.name() + " (at most the window) or " + MethodParameters.WINDOW.name();
    }
}
