package org.saliency4j.internal.image;

import org.saliency4j.Reduction;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyMap;

/**
 * The contrast window of the panel rendering's map: the options' own, or one that suits the map (see
 * {@link RenderOptions#automaticWindow()}).
 */
record PanelWindow(double low, double high) {
    /** The tutorial's window, for its own reduction. */
    static final PanelWindow TUTORIAL = new PanelWindow(RenderOptions.TUTORIAL_VMIN, RenderOptions.TUTORIAL_VMAX);

    static PanelWindow of(RenderOptions options, SaliencyMap map) {
        if (!options.automaticWindow()) {
            return new PanelWindow(options.vmin(), options.vmax());
        }
        if (map.reduction().orElse(null) == Reduction.SEED) {
            return TUTORIAL;
        }
        float[] values = map.toArray();
        double low = Double.POSITIVE_INFINITY;
        for (float v : values) {
            low = Math.min(low, v);
        }
        double high = Quantiles.percentile(values, RenderOptions.AUTOMATIC_VMAX_PERCENTILE);
        // A constant map (or one whose top percent is all its variation) keeps a unit window above its minimum.
        return new PanelWindow(low, high > low ? high : low + 1);
    }
}
