package org.saliency4j.method;

import java.util.Map;
import java.util.Optional;
import org.saliency4j.Baseline;

/**
 * RISE, randomized input sampling for explanation (Petsiuk et al., 2018), as the paper's code computes it: each of
 * {@code masks} masks is a random {@code cells} x {@code cells} grid whose cells are kept with probability
 * {@code keep}, upsampled bilinearly to (cells + 1) cells of ceil(side / cells) pixels and cropped to the input at
 * a random shift of less than a cell; the masked input, input x mask + baseline x (1 - mask), is scored forward
 * only, and the map is the sum of score x mask over the masks divided by masks x keep: the expected score when a
 * pixel is shown. No gradient is used, so any model will do; the masks come from the seed, so the map is repeatable.
 *
 * <p>One plane ({@link #channels()} 1): a mask hides every channel at once.
 *
 * @param masks    random masks, one forward pass each
 * @param cells    the masks' grid is cells x cells
 * @param keep     the probability that a grid cell is kept (shown), the paper's p
 * @param baseline what a mask shows where it hides the input (the paper's zero)
 * @param seed     seeds the masks
 */
public record Rise(int masks, int cells, double keep, Baseline baseline, long seed) implements Method {

    /** @throws org.saliency4j.SaliencyException naming {@code masks}, {@code cells} or {@code keep} out of bounds */
    public Rise {
        MethodParameters.MASKS.check(masks);
        MethodParameters.CELLS.check(cells);
        MethodParameters.KEEP.check(keep);
        if (baseline == null) {
            throw new IllegalArgumentException("baseline is required");
        }
    }

    /** The first pass, then one forward pass per mask. */
    @Override
    public long passes(Workload workload) {
        return 1 + (long) masks;
    }

    /** The masks alone: RISE does not score the unmasked input. */
    @Override
    public long passesPerCopy(Workload workload) {
        return masks;
    }

    @Override
    public Map<String, Number> costParameters() {
        return Map.of(MethodParameters.MASKS.name(), masks);
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public Optional<Baseline> reference() {
        return Optional.of(baseline);
    }
}
