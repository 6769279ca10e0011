package org.saliency4j;

/** Colour maps for heat maps: plain grey, and OpenCV's maps (which match matplotlib's of the same name). */
public enum ColorMap {
    GRAY, JET, TURBO, INFERNO, VIRIDIS, MAGMA, PLASMA, CIVIDIS, HOT, BONE, PARULA, RAINBOW, HSV, OCEAN, COOL,
    TWILIGHT, DEEPGREEN;

    public static ColorMap parse(String text) {
        return Vocabulary.COLORMAP.parse(text);
    }
}
