package org.saliency4j.method;

import java.util.Arrays;
import org.saliency4j.SaliencyException;
import org.saliency4j.Vocabulary;

/**
 * The rules of the class activation maps whose channel weights are the model's scores, forward only, of copies of
 * the image perturbed one channel of the layer at a time; the map is then {@code ReLU(sum_k w_k A_k)}, as for every
 * class activation map. The formulas are pytorch-grad-cam's ({@code score_cam.py}, {@code ablation_cam.py}):
 * <ul>
 * <li>Score-CAM (Wang et al., 2020): {@code w = softmax_k(s_k)}, {@code s_k} the explained score of the input times
 *     {@code M_k}, channel k upsampled to the input (bilinear, corners aligned) and scaled to [0, 1] by
 *     {@code (M - min) / (max - min + 1e-8)};
 * <li>Ablation-CAM (Desai and Ramaswamy, 2020): {@code w_k = (y - y_k) / y}, {@code y} the explained score,
 *     {@code y_k} the score with channel k of the layer's output zeroed.
 * </ul>
 * The copies go through the model {@link Context#batch} at a time: one forward pass per channel, memory bounded by
 * the batch.
 */
final class ChannelScoredMaps {
    /** pytorch-grad-cam's guard against a constant channel, whose mask becomes zero. */
    private static final double MASK_EPSILON = 1e-8;

    private ChannelScoredMaps() {
    }

    static float[] scoreCam(LayerBatch batch, int image, float[] input, Context context) {
        int channels = batch.channels();
        int pixels = context.height * context.width;
        float[] scores = new float[channels];
        context.passes(context.parts(channels), part -> {
            int first = context.first(part);
            float[] masked = new float[context.count(part, channels) * context.plane];
            for (int i = 0; i < masked.length / context.plane; i++) {
                float[] mask = mask(batch, image, first + i, context.height, context.width);
                int base = i * context.plane;
                for (int v = 0; v < context.plane; v++) {
                    masked[base + v] = input[v] * mask[v % pixels];
                }
            }
            return masked;
        }, masked -> context.scores(masked, masked.length / context.plane),
                (part, index) -> System.arraycopy(part, 0, scores, context.first(index), part.length));
        return ClassActivationMaps.weighted(batch, image, softmax(scores));
    }

    static float[] ablationCam(LayerBatch batch, int image, float[] input, Context context) {
        int[] channels = new int[batch.channels()];
        for (int k = 0; k < channels.length; k++) {
            channels[k] = k;
        }
        float[] ablated = context.ablatedScores(input, channels);
        return ClassActivationMaps.weighted(batch, image, ablationWeights(batch.scores()[image], ablated));
    }

    /**
     * Channel {@code channel} of the image's layer output, upsampled to (height, width) with corners aligned, scaled
     * to [0, 1]; a constant channel gives zeros.
     */
    static float[] mask(LayerBatch batch, int image, int channel, int height, int width) {
        int plane = batch.height() * batch.width();
        int base = (image * batch.channels() + channel) * plane;
        float[] own = Arrays.copyOfRange(batch.activations(), base, base + plane);
        float[] up = ClassActivationMaps.upsampleAlignedCorners(own, batch.height(), batch.width(), height, width);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : up) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double range = (double) max - min + MASK_EPSILON;
        for (int j = 0; j < up.length; j++) {
            up[j] = (float) ((up[j] - min) / range);
        }
        return up;
    }

    /** {@code exp(s_k) / sum_j exp(s_j)}, computed from the largest score down so that no term overflows. */
    static double[] softmax(float[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        double[] weights = new double[scores.length];
        double sum = 0;
        for (int k = 0; k < scores.length; k++) {
            weights[k] = Math.exp(scores[k] - max);
            sum += weights[k];
        }
        for (int k = 0; k < scores.length; k++) {
            weights[k] /= sum;
        }
        return weights;
    }

    /**
     * {@code (y - y_k) / y}: the score's relative drop without channel k.
     *
     * @throws SaliencyException naming {@code score} when the explained score is zero, which the weights divide by
     */
    static double[] ablationWeights(float score, float[] ablated) {
        if (score == 0) {
            throw Vocabulary.SCORE.invalid("Ablation-CAM divides by the explained score, which is 0 at this input; "
                    + "explain another score or use another method");
        }
        double[] weights = new double[ablated.length];
        for (int k = 0; k < ablated.length; k++) {
            weights[k] = ((double) score - ablated[k]) / score;
        }
        return weights;
    }
}
