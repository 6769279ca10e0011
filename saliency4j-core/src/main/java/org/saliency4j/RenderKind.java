package org.saliency4j;

/** What a rendering shows. */
public enum RenderKind {
    /** The heat map blended onto the input. */
    OVERLAY,
    /** The heat map alone. */
    HEATMAP,
    /** The tutorial's three panels: the windowed map, the input, and map * mix + input / mix. */
    PANEL;

    public static RenderKind parse(String text) {
        return Vocabulary.RENDER.parse(text);
    }
}
