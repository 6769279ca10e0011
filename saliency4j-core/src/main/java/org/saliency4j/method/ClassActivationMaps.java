package org.saliency4j.method;

import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.DoubleUnaryOperator;

/**
 * The rules of the class activation maps, from a layer's output A (channels k, positions j) and the gradient G of
 * the score w.r.t. it, per image, each ending in a ReLU, and the bilinear upsampling to the input. The formulas are
 * pytorch-grad-cam's:
 * <ul>
 * <li>Grad-CAM: {@code sum_k w_k A_k}, {@code w_k} the spatial mean of {@code G_k} (Selvaraju et al., 2017);
 * <li>Grad-CAM++: {@code w_k = sum_j a_kj ReLU(G_kj)}, {@code a = G^2 / (2 G^2 + sum_j(A_k) G^3 + 1e-6)}, the
 *     closed form of Chattopadhay et al. (2018) for an exponential score;
 * <li>XGrad-CAM: {@code w_k = sum_j(G_kj A_kj) / (sum_j A_kj + 1e-7)} (Fu et al., 2020);
 * <li>HiResCAM: {@code sum_k G_k * A_k}, element-wise (Draelos and Carin, 2020);
 * <li>LayerCAM: {@code sum_k ReLU(G_k) * A_k}, element-wise (Jiang et al., 2021);
 * <li>Eigen-CAM: A's positions projected on their first principal component (Muhammad and Yeasin, 2020);
 * <li>Score-CAM and Ablation-CAM: {@code sum_k w_k A_k}, {@code w_k} from the model's scores ({@code
 *     ChannelScoredMaps}).
 * </ul>
 * The upsampling is shared with the attention rollouts ({@link #upsampled}).
 */
final class ClassActivationMaps {
    private static final double PLUS_PLUS_EPSILON = 1e-6;
    private static final double X_GRAD_EPSILON = 1e-7;
    /**
     * The most channels or positions, whichever is fewer, of a layer Eigen-CAM weighs: its Gram matrix holds the
     * square of it (4096: 128 MB of doubles, and about a second per power iteration's worst case on one core).
     * Image classifiers' last feature maps are far below it (DenseNet-201's: 49 positions).
     */
    static final int MAX_EIGEN_SIDE = 4096;

    private ClassActivationMaps() {
    }

    /** One image's map at the layer's resolution, (height, width), from the layer's output and gradient. */
    @FunctionalInterface
    interface Rule {
        float[] map(LayerBatch batch, int image);
    }

    /**
     * A rule that also asks the model about the image: Score-CAM and Ablation-CAM score copies of it, perturbed
     * channel by channel ({@code ChannelScoredMaps}).
     */
    @FunctionalInterface
    interface ModelRule {
        /** @param input the image whose layer {@code batch} holds at {@code image}, (3, H, W) */
        float[] map(LayerBatch batch, int image, float[] input, Context context);
    }

    /** One image's map at its layer's resolution, (height, width) row-major. */
    record Coarse(float[] values, int height, int width) {
    }

    /** One image's coarse map from what its batch's pass found. */
    @FunctionalInterface
    interface CoarseMap<B> {
        /** @param input the index of the image's values in the inputs, whose {@code image}-th of the batch it is */
        Coarse at(B batch, int image, int input);
    }

    /**
     * Maps of n inputs by {@code rule}, upsampled to the input's size, (n, H, W), their layers computed
     * {@link Context#batch} inputs at a time, or taken from {@code known} (the first pass's, at the explained
     * input).
     */
    static float[] at(float[] inputs, int n, Rule rule, LayerBatch known, Context context) {
        return upsampled(inputs, n, known, context::layer,
                (batch, i, input) -> new Coarse(rule.map(batch, i), batch.height(), batch.width()), context);
    }

    /** {@link #at(float[], int, Rule, LayerBatch, Context)} for a rule that asks the model about each image. */
    static float[] at(float[] inputs, int n, ModelRule rule, LayerBatch known, Context context) {
        int plane = context.plane;
        // Only these rules read the image itself: the copy is made for them alone.
        return upsampled(inputs, n, known, context::layer, (batch, i, input) -> new Coarse(rule.map(batch, i,
                Arrays.copyOfRange(inputs, input * plane, (input + 1) * plane), context), batch.height(),
                batch.width()), context);
    }

    /**
     * Maps of n inputs, upsampled to the input's size, (n, H, W): what {@code pass} finds at each
     * {@link Context#batch} of inputs (or {@code known}, the first pass's at the explained input), each image's
     * coarse map by {@code map}. Shared by the class activation maps and the attention rollouts.
     */
    static <B> float[] upsampled(float[] inputs, int n, B known, BiFunction<float[], Integer, B> pass,
                                 CoarseMap<B> map, Context context) {
        int pixels = context.height * context.width;
        int plane = context.plane;
        float[] out = new float[n * pixels];
        context.passes(context.parts(n), part -> part, part -> known != null ? known
                : pass.apply(Arrays.copyOfRange(inputs, context.first(part) * plane,
                        (context.first(part) + context.count(part, n)) * plane), context.count(part, n)),
                (batch, part) -> {
                    int first = context.first(part);
                    for (int i = 0; i < context.count(part, n); i++) {
                        Coarse coarse = map.at(batch, i, first + i);
                        float[] up = upsample(coarse.values(), coarse.height(), coarse.width(), context.height,
                                context.width);
                        System.arraycopy(up, 0, out, (first + i) * pixels, pixels);
                    }
                });
        return out;
    }

    static float[] gradCam(LayerBatch batch, int image) {
        return channelWeighted(batch, image, (a, g, base, plane) -> sum(g, base, plane) / plane);
    }

    static float[] gradCamPlusPlus(LayerBatch batch, int image) {
        return channelWeighted(batch, image, ClassActivationMaps::plusPlusWeight);
    }

    static float[] xGradCam(LayerBatch batch, int image) {
        return channelWeighted(batch, image, (a, g, base, plane) -> {
            double weighted = 0;
            for (int j = 0; j < plane; j++) {
                weighted += (double) g[base + j] * a[base + j];
            }
            return weighted / (sum(a, base, plane) + X_GRAD_EPSILON);
        });
    }

    static float[] hiResCam(LayerBatch batch, int image) {
        return positionWeighted(batch, image, g -> g);
    }

    static float[] layerCam(LayerBatch batch, int image) {
        return positionWeighted(batch, image, g -> Math.max(0, g));
    }

    /**
     * The positions' coordinates on the first principal component of the activations (the positions as samples,
     * the channels as variables, centred per channel), ReLU. A principal direction's sign is arbitrary, and SVD
     * libraries differ in it; here it is the one that agrees with the channel sum of the activations, so that the
     * map marks where the layer fires most.
     */
    static float[] eigenCam(LayerBatch batch, int image) {
        int channels = batch.channels();
        int plane = batch.height() * batch.width();
        if (Math.min(channels, plane) > MAX_EIGEN_SIDE) {
            throw MethodParameters.LAYER.invalid("Eigen-CAM needs a layer with at most " + MAX_EIGEN_SIDE
                    + " channels or positions; " + batch.layer() + " has " + channels + " channels at "
                    + batch.height() + "x" + batch.width());
        }
        int offset = image * channels * plane;
        float[] a = batch.activations();
        double[][] centred = new double[channels][plane];
        double[] channelSum = new double[plane];
        for (int k = 0; k < channels; k++) {
            double mean = sum(a, offset + k * plane, plane) / plane;
            for (int j = 0; j < plane; j++) {
                centred[k][j] = a[offset + k * plane + j] - mean;
                channelSum[j] += a[offset + k * plane + j];
            }
        }
        double[] projection = PrincipalComponent.scores(centred, plane);
        double agreement = 0;
        for (int j = 0; j < plane; j++) {
            agreement += projection[j] * channelSum[j];
        }
        float[] out = new float[plane];
        for (int j = 0; j < plane; j++) {
            out[j] = (float) Math.max(0, agreement < 0 ? -projection[j] : projection[j]);
        }
        return out;
    }

    /** A channel's weight from its activations and gradients, which start at {@code base} and span {@code plane}. */
    @FunctionalInterface
    private interface ChannelWeight {
        double of(float[] activations, float[] gradients, int base, int plane);
    }

    /** {@code ReLU(sum_k w_k A_k)}, each {@code w_k} from the channel's activations and gradients. */
    private static float[] channelWeighted(LayerBatch batch, int image, ChannelWeight weight) {
        int plane = batch.height() * batch.width();
        int offset = image * batch.channels() * plane;
        double[] weights = new double[batch.channels()];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = weight.of(batch.activations(), batch.gradients(), offset + k * plane, plane);
        }
        return weighted(batch, image, weights);
    }

    /** {@code ReLU(sum_k w_k A_k)} for image {@code image} of the batch. */
    static float[] weighted(LayerBatch batch, int image, double[] weights) {
        int plane = batch.height() * batch.width();
        int offset = image * batch.channels() * plane;
        float[] a = batch.activations();
        double[] map = new double[plane];
        for (int k = 0; k < batch.channels(); k++) {
            int base = offset + k * plane;
            for (int j = 0; j < plane; j++) {
                map[j] += weights[k] * a[base + j];
            }
        }
        return relu(map);
    }

    /** {@code ReLU(sum_k f(G_k) * A_k)}, element-wise. */
    private static float[] positionWeighted(LayerBatch batch, int image, DoubleUnaryOperator gradientWeight) {
        int plane = batch.height() * batch.width();
        int offset = image * batch.channels() * plane;
        float[] a = batch.activations();
        float[] g = batch.gradients();
        double[] map = new double[plane];
        for (int k = 0; k < batch.channels(); k++) {
            int base = offset + k * plane;
            for (int j = 0; j < plane; j++) {
                map[j] += gradientWeight.applyAsDouble(g[base + j]) * a[base + j];
            }
        }
        return relu(map);
    }

    private static float[] relu(double[] map) {
        float[] out = new float[map.length];
        for (int j = 0; j < map.length; j++) {
            out[j] = (float) Math.max(0, map[j]);
        }
        return out;
    }

    /**
     * Bilinear resampling with pixel centres aligned (PyTorch's {@code align_corners=False}, OpenCV's
     * {@code INTER_LINEAR}): output pixel x samples the input at {@code (x + 0.5) * in / out - 0.5}, clamped. How
     * every class activation map reaches the input's size, as pytorch-grad-cam's {@code scale_cam_image} (OpenCV).
     */
    static float[] upsample(float[] map, int height, int width, int toHeight, int toWidth) {
        return resample(map, height, width, toHeight, toWidth,
                (x, in, out) -> Math.max(0, (x + 0.5) * in / out - 0.5));
    }

    /**
     * Bilinear resampling with corner pixels aligned (PyTorch's {@code align_corners=True}, its
     * {@code UpsamplingBilinear2d}): output pixel x samples the input at {@code x * (in - 1) / (out - 1)}. How
     * pytorch-grad-cam's Score-CAM brings each channel to the input's size before masking it.
     */
    static float[] upsampleAlignedCorners(float[] map, int height, int width, int toHeight, int toWidth) {
        return resample(map, height, width, toHeight, toWidth,
                (x, in, out) -> out == 1 ? 0 : (double) x * (in - 1) / (out - 1));
    }

    /** Where output pixel {@code x} of {@code out} samples an input of {@code in} pixels. */
    @FunctionalInterface
    private interface SourceCoordinate {
        double of(int x, int in, int out);
    }

    private static float[] resample(float[] map, int height, int width, int toHeight, int toWidth,
                                    SourceCoordinate source) {
        float[] out = new float[toHeight * toWidth];
        for (int y = 0; y < toHeight; y++) {
            double sy = source.of(y, height, toHeight);
            int y0 = Math.min((int) sy, height - 1);
            int y1 = Math.min(y0 + 1, height - 1);
            double fy = sy - y0;
            for (int x = 0; x < toWidth; x++) {
                double sx = source.of(x, width, toWidth);
                int x0 = Math.min((int) sx, width - 1);
                int x1 = Math.min(x0 + 1, width - 1);
                double fx = sx - x0;
                double top = map[y0 * width + x0] * (1 - fx) + map[y0 * width + x1] * fx;
                double bottom = map[y1 * width + x0] * (1 - fx) + map[y1 * width + x1] * fx;
                out[y * toWidth + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    private static double sum(float[] values, int base, int plane) {
        double sum = 0;
        for (int j = 0; j < plane; j++) {
            sum += values[base + j];
        }
        return sum;
    }

    private static double plusPlusWeight(float[] a, float[] g, int base, int plane) {
        double activationSum = sum(a, base, plane);
        double weight = 0;
        for (int j = 0; j < plane; j++) {
            double grad = g[base + j];
            double square = grad * grad;
            double alpha = square / (2 * square + activationSum * square * grad + PLUS_PLUS_EPSILON);
            weight += alpha * Math.max(0, grad);
        }
        return weight;
    }
}
