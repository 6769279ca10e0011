package org.saliency4j.method;

/** How attention rollout merges a block's heads into one attention matrix, entry by entry. */
public enum HeadFusion {
    /** Their mean, as Abnar and Zuidema (2020) do. */
    MEAN,
    /** Their maximum (jacobgil's vit-explain offers it beside the mean). */
    MAX,
    /** Their minimum. */
    MIN;

    /** The fused entry of {@code heads} values starting at {@code base}, {@code stride} apart. */
    double fuse(float[] values, int base, int stride, int heads) {
        double fused = this == MEAN ? 0 : values[base];
        for (int h = 0; h < heads; h++) {
            double v = values[base + h * stride];
            fused = switch (this) {
                case MEAN -> fused + v / heads;
                case MAX -> Math.max(fused, v);
                case MIN -> Math.min(fused, v);
            };
        }
        return fused;
    }
}
