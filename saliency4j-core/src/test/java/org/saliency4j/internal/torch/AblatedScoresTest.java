package org.saliency4j.internal.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saliency4j.SaliencyException;
import org.saliency4j.Score;
import org.saliency4j.method.LayerBatch;

/**
 * The forward with one of a layer's channels zeroed per image ({@link TorchClassifier#ablatedScores}), on the small
 * CNN scripted by PyTorch, whose head is a linear map of the last feature map's channel means: without channel k the
 * logits are {@code W (m - m_k e_k) + b}, m the channel means, computed here from the classifier's own weights.
 */
class AblatedScoresTest {
    private static final int SIDE = 64;
    private static final int CHANNELS = 32;
    private static final int CLASSES = 1000;
    private static final int TARGET = 281;
    private static TorchClassifier model;
    private static float[] weight;
    private static float[] bias;

    @BeforeAll
    static void load() throws Exception {
        Path file = Path.of(AblatedScoresTest.class.getResource("/org/saliency4j/reference/tiny_cnn.pt").toURI());
        model = TorchClassifier.load(file, "cpu", SIDE, 0);
        try (PointerScope scope = new PointerScope()) {
            JitModule head = new JitModule(torch.load(file.toString()).attr("classifier").toObject());
            weight = floats(head.attr("weight").toTensor());
            bias = floats(head.attr("bias").toTensor());
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void zeroingAChannelRemovesItsMeanTimesItsWeightFromEveryLogit() {
        float[] x = randomInput(5);
        double[] means = channelMeans(x);
        int[] channels = {5, 0, 31, 5, 17};
        for (Score score : Score.values()) {
            float[] ablated = model.ablatedScores(x, SIDE, SIDE, TARGET, score, "features.6", channels);
            for (int i = 0; i < channels.length; i++) {
                double expected = closedForm(means, channels[i], score);
                assertEquals(expected, ablated[i], 1e-4 * (1 + Math.abs(expected)), score + ", channel " + channels[i]);
            }
        }
    }

    /**
     * Zeroing the batch norm's channel before the ReLU (which the model applies in place) is zeroing the ReLU's: the
     * in-place ReLU runs on the masked tensor, and the model is left as it was.
     */
    @Test
    void aLayerFollowedByAnInPlaceReluIsMaskedBeforeIt() {
        float[] x = randomInput(6);
        double[] means = channelMeans(x);
        int[] all = new int[CHANNELS];
        for (int k = 0; k < CHANNELS; k++) {
            all[k] = k;
        }
        float[] ablated = model.ablatedScores(x, SIDE, SIDE, TARGET, Score.LOGIT, "features.5", all);
        for (int k = 0; k < CHANNELS; k++) {
            assertEquals(closedForm(means, k, Score.LOGIT), ablated[k], 1e-4, "channel " + k);
        }
        float plain = model.scores(x, 1, SIDE, SIDE, TARGET, Score.LOGIT)[0];
        assertEquals(closedForm(means, -1, Score.LOGIT), plain, 1e-4, "the unmasked forward is unchanged");
    }

    @Test
    void aBatchIsItsImagesScoredOneByOne() {
        float[] x = randomInput(7);
        int[] channels = {3, 9, 12, 3};
        float[] together = model.ablatedScores(x, SIDE, SIDE, TARGET, Score.LOGIT, "features.6", channels);
        for (int i = 0; i < channels.length; i++) {
            float alone = model.ablatedScores(x, SIDE, SIDE, TARGET, Score.LOGIT, "features.6",
                    new int[]{channels[i]})[0];
            assertEquals(alone, together[i], 1e-5f);
        }
    }

    @Test
    void unknownLayersChannelsAndFlatLayersAreRefused() {
        float[] x = randomInput(8);
        SaliencyException unknown = assertThrows(SaliencyException.class,
                () -> model.ablatedScores(x, SIDE, SIDE, TARGET, Score.LOGIT, "features.66", new int[]{0}));
        assertEquals("layer", unknown.input());
        SaliencyException flat = assertThrows(SaliencyException.class,
                () -> model.ablatedScores(x, SIDE, SIDE, TARGET, Score.LOGIT, "classifier", new int[]{0}));
        assertEquals("layer", flat.input());
        assertThrows(IllegalArgumentException.class,
                () -> model.ablatedScores(x, SIDE, SIDE, TARGET, Score.LOGIT, "features.6", new int[]{CHANNELS}));
        assertThrows(IllegalArgumentException.class,
                () -> model.ablatedScores(x, SIDE, SIDE, CLASSES, Score.LOGIT, "features.6", new int[]{0}));
    }

    /** The target's score with channel {@code zeroed} of the last feature map removed (none when -1). */
    private static double closedForm(double[] means, int zeroed, Score score) {
        double[] logits = new double[CLASSES];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
            logits[c] = bias[c];
            for (int k = 0; k < CHANNELS; k++) {
                logits[c] += k == zeroed ? 0 : (double) weight[c * CHANNELS + k] * means[k];
            }
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        double logProbability = logits[TARGET] - max - Math.log(sum);
        return switch (score) {
            case LOGIT -> logits[TARGET];
            case PROBABILITY -> Math.exp(logProbability);
            case LOG_PROBABILITY -> logProbability;
        };
    }

    /** The channel means of the last feature map (features.6, after the ReLU), from the engine's layer tap. */
    private static double[] channelMeans(float[] x) {
        LayerBatch layer = model.layerGradients(x, 1, SIDE, SIDE, (i, p) -> TARGET, Score.LOGIT, "features.6");
        int plane = layer.height() * layer.width();
        double[] means = new double[CHANNELS];
        for (int k = 0; k < CHANNELS; k++) {
            for (int j = 0; j < plane; j++) {
                means[k] += layer.activations()[k * plane + j];
            }
            means[k] /= plane;
        }
        return means;
    }

    private static float[] randomInput(long seed) {
        Random random = new Random(seed);
        float[] x = new float[3 * SIDE * SIDE];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    private static float[] floats(Tensor t) {
        Tensor c = t.contiguous();
        float[] values = new float[(int) c.numel()];
        ((FloatBuffer) c.createBuffer()).get(values);
        return values;
    }
}
