package org.saliency4j;

/**
 * How a saliency map is drawn.
 *
 * @param kind     overlay, heat map or the three panels
 * @param colorMap the colour map of the heat map
 * @param alpha    the heat map's weight in the overlay, in [0, 1]
 * @param vmin     the panel's contrast window: map values at or below it are the colour map's lowest colour;
 *                 NaN for the end that suits the map (see {@link #automaticWindow()})
 * @param vmax     the panel's contrast window: map values at or above it are the colour map's highest colour;
 *                 NaN for the end that suits the map
 * @param mix      the third panel shows {@code map * mix + input / mix}, clipped to [0, 1]
 * @param geometry over the model input, or mapped back onto the original image
 */
public record RenderOptions(RenderKind kind, ColorMap colorMap, double alpha, double vmin, double vmax, double mix,
                            Geometry geometry) {

    /** The tutorial's contrast window, for its own reduction ({@link Reduction#SEED}). */
    public static final double TUTORIAL_VMIN = 0.3;
    public static final double TUTORIAL_VMAX = 0.7;
    /** The percentile where the window that suits the map ends: the bulk of the values, not the few largest. */
    public static final double AUTOMATIC_VMAX_PERCENTILE = 99;

    public RenderOptions {
        if (kind == null || colorMap == null || geometry == null) {
            throw new IllegalArgumentException("kind, colour map and geometry are required");
        }
        Vocabulary.ALPHA.check(alpha);
        // Either end may be left to the map (NaN); one that is given is a finite number.
        if (Double.isInfinite(vmin)) {
            throw Vocabulary.VMIN.invalid("must be a finite number or auto, got " + vmin);
        }
        if (Double.isInfinite(vmax)) {
            throw Vocabulary.VMAX.invalid("must be a finite number or auto, got " + vmax);
        }
        if (!(vmin < vmax) && !Double.isNaN(vmin) && !Double.isNaN(vmax)) {
            throw Vocabulary.VMIN.invalid("the window needs vmin < vmax, got " + vmin + " and " + vmax);
        }
        Vocabulary.MIX.check(mix);
    }

    /**
     * From the {@link Vocabulary}: an overlay in jet at alpha 0.5 over the model input; the panel's window suits
     * the map ({@code auto}), mix 2 as the tutorial.
     */
    public static RenderOptions defaults() {
        return new RenderOptions(Vocabulary.RENDER.defaultValue(), Vocabulary.COLORMAP.defaultValue(),
                Vocabulary.ALPHA.defaultValue(), Vocabulary.VMIN.defaultValue(), Vocabulary.VMAX.defaultValue(),
                Vocabulary.MIX.defaultValue(), Vocabulary.GEOMETRY.defaultValue());
    }

    /**
     * Whether the panel's whole window suits the map rather than being given: the tutorial's 0.3-0.7 for a map
     * reduced by {@link Reduction#SEED} (the un-normalised gradient, centred near 0.5, as the tutorial draws it),
     * else from the map's minimum to its 99th percentile, which spreads the colours over the bulk of the values (an
     * abs-max map has almost every pixel under 0.3, which a 0.3-0.7 window would paint as one colour). When only
     * one end is given, the other is that window's.
     */
    public boolean automaticWindow() {
        return Double.isNaN(vmin) && Double.isNaN(vmax);
    }

    public RenderOptions withKind(RenderKind value) {
        return new RenderOptions(value, colorMap, alpha, vmin, vmax, mix, geometry);
    }

    public RenderOptions withColorMap(ColorMap value) {
        return new RenderOptions(kind, value, alpha, vmin, vmax, mix, geometry);
    }

    public RenderOptions withAlpha(double value) {
        return new RenderOptions(kind, colorMap, value, vmin, vmax, mix, geometry);
    }

    public RenderOptions withWindow(double min, double max) {
        return new RenderOptions(kind, colorMap, alpha, min, max, mix, geometry);
    }

    /** The window that suits the map: see {@link #automaticWindow()}. */
    public RenderOptions withAutomaticWindow() {
        return withWindow(Double.NaN, Double.NaN);
    }

    public RenderOptions withMix(double value) {
        return new RenderOptions(kind, colorMap, alpha, vmin, vmax, value, geometry);
    }

    public RenderOptions withGeometry(Geometry value) {
        return new RenderOptions(kind, colorMap, alpha, vmin, vmax, mix, value);
    }
}
