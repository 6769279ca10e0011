package org.saliency4j;

/** Where a rendering is drawn. */
public enum Geometry {
    /** Over the model input (the centre crop, or the stretched image). */
    CROP,
    /** Mapped back onto the whole original image; parts the model did not see are left as they are. */
    ORIGINAL;

    public static Geometry parse(String text) {
        return Vocabulary.GEOMETRY.parse(text);
    }
}
