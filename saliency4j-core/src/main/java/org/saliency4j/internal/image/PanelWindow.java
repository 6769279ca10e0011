package org.saliency4j.internal.image;

import org.saliency4j.Reduction;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyMap;
import org.saliency4j.Vocabulary;

/**
 * The contrast window of the panel rendering's map: the options' own, or one that suits the map (see
 * {@link RenderOptions#automaticWindow()}).
 */
record PanelWindow(double low, double high) {
    /** The tutorial's window, for its own reduction. */
    static final PanelWindow TUTORIAL = new PanelWindow(RenderOptions.TUTORIAL_VMIN, RenderOptions.TUTORIAL_VMAX);

    /**
     * The options' window, its ends that are left to the map (NaN) taken from the window that suits it.
     *
     * @throws SaliencyException naming the given end when the map's own other end falls on its wrong side
     */
    static PanelWindow of(RenderOptions options, SaliencyMap map) {
        if (!Double.isNaN(options.vmin()) && !Double.isNaN(options.vmax())) {
            return new PanelWindow(options.vmin(), options.vmax());
        }
        PanelWindow suiting = suiting(map);
        double low = Double.isNaN(options.vmin()) ? suiting.low() : options.vmin();
        double high = Double.isNaN(options.vmax()) ? suiting.high() : options.vmax();
        if (!(low < high)) {
            throw (Double.isNaN(options.vmin()) ? Vocabulary.VMAX : Vocabulary.VMIN).invalid("the window needs vmin < "
                    + "vmax, got " + low + " and " + high + " (the map's own end); give both ends");
        }
        return new PanelWindow(low, high);
    }

    /** The tutorial's window for its own reduction, else the map's minimum to its top percentile. */
    private static PanelWindow suiting(SaliencyMap map) {
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
