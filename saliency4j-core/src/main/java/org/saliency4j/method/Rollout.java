package org.saliency4j.method;

import java.util.List;

/**
 * The rollouts' algebra on one image's attention layers, each (heads, T, T) with T = 1 + side * side tokens, the
 * class token first. Both roll out a product of per-block matrices M_L ... M_1 (the last block on the left) and
 * keep the class token's row over the patch tokens; that row is {@code e_0^T M_L ... M_1}, computed as a row vector
 * times each matrix from the last block back to the first: O(blocks x T^2) instead of the O(blocks x T^3) of the
 * whole product, the same numbers.
 * <ul>
 * <li>Attention rollout (Abnar and Zuidema, 2020): {@code M = rownorm(0.5 fuse_h(A) + 0.5 I)};
 * <li>gradient-weighted rollout (Chefer et al., 2021, the self-attention rule of "Generic Attention-model
 *     Explainability"): {@code R <- R + Ā R} from R = I, {@code Ā = mean_h (∇A ⊙ A)^+}, which is
 *     {@code M = I + Ā}.
 * </ul>
 */
final class Rollout {

    private Rollout() {
    }

    static ClassActivationMaps.Coarse attention(TappedLayers batch, int image, HeadFusion fusion) {
        return rolledOut(batch, image, (layer, offset, t) -> {
            int heads = layer.shape()[1];
            double[][] m = new double[t][t];
            for (int i = 0; i < t; i++) {
                double sum = 0;
                for (int j = 0; j < t; j++) {
                    m[i][j] = 0.5 * fusion.fuse(layer.values(), offset + i * t + j, t * t, heads) + (i == j ? 0.5 : 0);
                    sum += m[i][j];
                }
                for (int j = 0; j < t; j++) {
                    m[i][j] /= sum;
                }
            }
            return m;
        });
    }

    static ClassActivationMaps.Coarse gradientWeighted(TappedLayers batch, int image) {
        return rolledOut(batch, image, (layer, offset, t) -> {
            int heads = layer.shape()[1];
            float[] a = layer.values();
            float[] g = layer.gradients();
            double[][] m = new double[t][t];
            for (int h = 0; h < heads; h++) {
                int base = offset + h * t * t;
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < t; j++) {
                        m[i][j] += Math.max(0, (double) g[base + i * t + j] * a[base + i * t + j]) / heads;
                    }
                }
            }
            for (int i = 0; i < t; i++) {
                m[i][i] += 1;
            }
            return m;
        });
    }

    /** One block's matrix from its layer, whose image starts at {@code offset}, for T tokens. */
    @FunctionalInterface
    private interface BlockMatrix {
        double[][] of(TappedLayers.Layer layer, int offset, int t);
    }

    /** The class token's row of M_L ... M_1 over the patches, on the patch grid. */
    private static ClassActivationMaps.Coarse rolledOut(TappedLayers batch, int image, BlockMatrix block) {
        List<TappedLayers.Layer> layers = batch.layers();
        int t = layers.get(0).shape()[2];
        int side = (int) Math.round(Math.sqrt(t - 1));
        double[] row = new double[t];
        row[0] = 1;
        for (int l = layers.size() - 1; l >= 0; l--) {
            TappedLayers.Layer layer = layers.get(l);
            int[] shape = layer.shape();
            if (shape.length != 4 || shape[2] != t || shape[3] != t) {
                throw new IllegalArgumentException("attention layer " + layer.name() + " is not (batch, heads, " + t
                        + ", " + t + ")");
            }
            double[][] m = block.of(layer, image * layer.size(), t);
            double[] next = new double[t];
            for (int i = 0; i < t; i++) {
                if (row[i] != 0) {
                    for (int j = 0; j < t; j++) {
                        next[j] += row[i] * m[i][j];
                    }
                }
            }
            row = next;
        }
        float[] patches = new float[t - 1];
        for (int j = 1; j < t; j++) {
            patches[j - 1] = (float) row[j];
        }
        return new ClassActivationMaps.Coarse(patches, side, side);
    }
}
