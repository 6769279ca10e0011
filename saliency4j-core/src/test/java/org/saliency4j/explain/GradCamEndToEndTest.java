package org.saliency4j.explain;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saliency4j.Baseline;
import org.saliency4j.Cancellation;
import org.saliency4j.FloatTensor;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.Score;
import org.saliency4j.Target;
import org.saliency4j.method.AblationCam;
import org.saliency4j.method.Method;
import org.saliency4j.method.MethodParameters;
import org.saliency4j.method.MethodSettings;
import org.saliency4j.method.Methods;

/**
 * The class activation maps through the public API, on the small CNN scripted by PyTorch, against an answer computed
 * another way: the layer's output by running the model's own submodules one by one, its weights from the global
 * average pooling head in closed form (the gradient of the logit is W[c, k] / positions everywhere), the
 * upsampling by OpenCV.
 */
class GradCamEndToEndTest {
    private static final int CHANNELS = 32;
    private static SaliencyModel model;
    private static Path file;
    private static ImageInput image;

    @BeforeAll
    static void load() throws Exception {
        file = Path.of(GradCamEndToEndTest.class.getResource("/org/saliency4j/reference/tiny_cnn.pt").toURI());
        model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu").withWarmupRuns(0));
        image = ImageInput.file(Path.of(GradCamEndToEndTest.class
                .getResource("/org/saliency4j/reference/astronaut256.png").toURI()));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void gradCamEqualsItsClosedFormOnAGlobalPoolingHead() {
        Explanation e = explain("grad-cam", null);
        assertEquals("features.6", e.method().layer(), "the default: the last feature map before pooling");
        assertArrayEquals(new int[]{1, 224, 224}, e.attribution().shape());
        float[] expected = expectedMap(e, Weight.GRAD_CAM);
        assertClose(expected, e);
        assertTrue(max(expected) > 0, "a map with positive evidence");
    }

    @Test
    void gradCamPlusPlusEqualsItsClosedFormOnAGlobalPoolingHead() {
        Explanation e = explain("grad-cam++", "features.6");
        assertClose(expectedMap(e, Weight.GRAD_CAM_PLUS_PLUS), e);
    }

    /**
     * Under a global average pooling head the gradient is constant over the positions, so HiResCAM's element-wise
     * product and XGrad-CAM's weights both reduce to Grad-CAM's closed form, and LayerCAM to its positive weights.
     */
    @Test
    void hiResCamXGradCamAndLayerCamEqualTheirClosedFormsOnAGlobalPoolingHead() {
        assertClose(expectedMap(explain("grad-cam", null), Weight.GRAD_CAM), explain("hires-cam", null));
        assertClose(expectedMap(explain("grad-cam", null), Weight.GRAD_CAM), explain("xgrad-cam", null));
        Explanation layerCam = explain("layer-cam", null);
        assertClose(expectedMap(layerCam, Weight.LAYER_CAM), layerCam);
    }

    /** Eigen-CAM against an SVD computed by libtorch itself, oriented by the channel sum; no target enters it. */
    @Test
    void eigenCamIsTheFirstPrincipalComponentOfTheLayerAndTheSameForEveryTarget() {
        Explanation e = explain("eigen-cam", null);
        float[] expected = expectedEigenMap(e);
        assertClose(expected, e);
        assertTrue(max(expected) > 0, "a map with positive evidence");
        Method m = Methods.parse("eigen-cam", MethodSettings.defaults());
        float[] otherTarget = model.explain(image, ExplainRequest.defaults().withMethod(m).withTarget(Target.index(1)))
                .attribution().toArray();
        assertArrayEquals(e.attribution().toArray(), otherTarget, 0f);
    }

    /**
     * Under the global average pooling head, zeroing channel k lowers the logit by exactly {@code W[c, k] m_k}, m_k
     * the channel's mean: Ablation-CAM's weights are {@code W[c, k] m_k / y}, y = {@code W[c] m + b[c]}.
     */
    @Test
    void ablationCamEqualsItsClosedFormOnAGlobalPoolingHead() {
        Explanation e = explain("ablation-cam", null);
        try (PointerScope scope = new PointerScope()) {
            float[] a = floats(layerOutput(e));
            JitModule head = new JitModule(torch.load(file.toString()).attr("classifier").toObject());
            float[] w = floats(head.attr("weight").toTensor());
            double y = floats(head.attr("bias").toTensor())[281];
            double[] drops = new double[CHANNELS];
            int positions = a.length / CHANNELS;
            for (int k = 0; k < CHANNELS; k++) {
                double mean = 0;
                for (int j = 0; j < positions; j++) {
                    mean += a[k * positions + j];
                }
                drops[k] = w[281 * CHANNELS + k] * mean / positions;
                y += drops[k];
            }
            double[] weights = new double[CHANNELS];
            for (int k = 0; k < CHANNELS; k++) {
                weights[k] = drops[k] / y;
            }
            float[] expected = weightedMap(a, weights);
            assertClose(expected, e);
            assertTrue(max(expected) > 0, "a map with positive evidence");
        }
    }

    /**
     * Score-CAM against masked inputs made here by libtorch (its align-corners bilinear upsampling, as
     * pytorch-grad-cam's UpsamplingBilinear2d, and min-max scaling) and scored by the model's forward.
     */
    @Test
    void scoreCamIsTheSoftmaxOfTheScoresOfInputsMaskedByEachChannel() {
        Explanation e = explain("score-cam", null);
        try (PointerScope scope = new PointerScope()) {
            Tensor a = layerOutput(e);
            Tensor up = torch.upsample_bilinear2d(a, new long[]{224, 224}, true);
            Tensor min = up.amin(new long[]{2, 3}, true);
            Tensor max = up.amax(new long[]{2, 3}, true);
            Tensor masks = up.sub(min).div(max.sub(min).add(new Scalar(1e-8))).permute(1, 0, 2, 3);
            Tensor masked = masks.mul(Tensor.create(e.input().toArray(), 1, 3, 224, 224));
            float[] scores = model.scores(new FloatTensor(new int[]{CHANNELS, 3, 224, 224}, floats(masked)), 281,
                    Score.LOGIT);
            double largest = Double.NEGATIVE_INFINITY;
            for (float s : scores) {
                largest = Math.max(largest, s);
            }
            double[] weights = new double[CHANNELS];
            double sum = 0;
            for (int k = 0; k < CHANNELS; k++) {
                weights[k] = Math.exp(scores[k] - largest);
                sum += weights[k];
            }
            for (int k = 0; k < CHANNELS; k++) {
                weights[k] /= sum;
            }
            float[] expected = weightedMap(floats(a), weights);
            assertClose(expected, e);
            assertTrue(max(expected) > 0, "a map with positive evidence");
        }
    }

    /** What a service bounds before it queues a request: the first pass and one image per channel of the layer. */
    @Test
    void scoreCamAndAblationCamCostOnePassPerChannelOfTheirLayer() {
        ExplainRequest request = ExplainRequest.defaults().withMethod(Method.parse("score-cam"));
        assertEquals(1 + CHANNELS, model.passes(request), "features.6, the default");
        assertEquals(1 + 16, model.passes(request.withMethod(new AblationCam("features.1"))));
        assertEquals(1 + CHANNELS, model.passes(request.withMethod(new AblationCam("features"))),
                "features, another name of its last layer's output");
    }

    /** The channels' copies go through the model a batch at a time: one at a time or all at once, the same map. */
    @Test
    void scoreCamAndAblationCamDoNotDependOnTheBatchSize() {
        for (String spec : new String[]{"score-cam", "ablation-cam"}) {
            ExplainRequest request = ExplainRequest.defaults().withMethod(Method.parse(spec))
                    .withTarget(Target.index(281));
            float[] one = model.explainBatch(List.of(image), request, 1, Cancellation.NEVER).get(0).attribution()
                    .toArray();
            float[] sixteen = model.explainBatch(List.of(image), request, 16, Cancellation.NEVER).get(0)
                    .attribution().toArray();
            for (int i = 0; i < one.length; i++) {
                assertEquals(one[i], sixteen[i], 1e-6 + 1e-4 * Math.abs(one[i]), spec + " at " + i);
            }
        }
    }

    /**
     * A noisy copy's weights come from its own layer and its own score, as the explained input's do (Ablation-CAM
     * divides by the copy's score; Score-CAM's copies take the same path with their own rule).
     */
    @Test
    void aNoiselessOneSampleTunnelIsAblationCamItself() {
        float[] cam = explain("ablation-cam", null).attribution().toArray();
        float[] smooth = explain("smoothgrad:ablation-cam", null, 1, 0).attribution().toArray();
        assertArrayEquals(cam, smooth, 1e-5f);
    }

    @Test
    void guidedGradCamIsGuidedBackpropTimesGradCam() {
        float[] guided = explain("guided-backprop", null).attribution().toArray();
        float[] cam = explain("grad-cam", null).attribution().toArray();
        float[] product = explain("guided-grad-cam", null).attribution().toArray();
        assertEquals(3 * cam.length, product.length);
        for (int i = 0; i < product.length; i++) {
            assertEquals(guided[i] * cam[i % cam.length], product[i], 1e-6 * (1 + Math.abs(product[i])));
        }
    }

    @Test
    void aNoiselessOneSampleTunnelIsGradCamItself() {
        float[] cam = explain("grad-cam", null).attribution().toArray();
        float[] smooth = explain("smoothgrad:grad-cam", null, 1, 0).attribution().toArray();
        assertArrayEquals(cam, smooth, 1e-6f);
    }

    private static Explanation explain(String method, String layer) {
        return explain(method, layer, 50, 0.15);
    }

    private static Explanation explain(String method, String layer, int samples, double noise) {
        Method m = Methods.parse(method, MethodSettings.defaults().with(MethodParameters.SAMPLES, samples)
                .with(MethodParameters.NOISE, noise).with(MethodParameters.LAYER, layer));
        return model.explain(image, ExplainRequest.defaults().withMethod(m).withTarget(Target.index(281)));
    }

    private enum Weight { GRAD_CAM, GRAD_CAM_PLUS_PLUS, LAYER_CAM }

    private static void assertClose(float[] expected, Explanation e) {
        float[] actual = e.attribution().toArray();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 + 1e-4 * Math.abs(expected[i]), e.method().spec() + " at " + i);
        }
    }

    /** ReLU(sum_k w_k A_k) from A computed by the submodules' own forwards, upsampled by OpenCV. */
    private static float[] expectedMap(Explanation e, Weight rule) {
        try (PointerScope scope = new PointerScope()) {
            float[] a = floats(layerOutput(e));
            float[] w = floats(new JitModule(torch.load(file.toString()).attr("classifier").toObject()).attr("weight")
                    .toTensor());
            int positions = a.length / CHANNELS;
            float[] map = new float[positions];
            for (int k = 0; k < CHANNELS; k++) {
                double g = w[281 * CHANNELS + k] / positions;
                double weight = switch (rule) {
                    case GRAD_CAM -> g;
                    // Constant gradients: a = g^2 / (2 g^2 + sum(A) g^3 + eps) at every position, summed over them.
                    case GRAD_CAM_PLUS_PLUS -> {
                        double sum = 0;
                        for (int j = 0; j < positions; j++) {
                            sum += a[k * positions + j];
                        }
                        yield positions * g * g / (2 * g * g + sum * g * g * g + 1e-6) * Math.max(g, 0);
                    }
                    case LAYER_CAM -> Math.max(g, 0);
                };
                for (int j = 0; j < positions; j++) {
                    map[j] += (float) (weight * a[k * positions + j]);
                }
            }
            return upsampledRelu(map);
        }
    }

    /** ReLU(sum_k w_k A_k), upsampled by OpenCV. */
    private static float[] weightedMap(float[] a, double[] weights) {
        int positions = a.length / CHANNELS;
        float[] map = new float[positions];
        for (int k = 0; k < CHANNELS; k++) {
            for (int j = 0; j < positions; j++) {
                map[j] += (float) (weights[k] * a[k * positions + j]);
            }
        }
        return upsampledRelu(map);
    }

    /**
     * The positions (rows) of the layer's output centred per channel, projected on the first right singular vector
     * of libtorch's SVD, signed to agree with the channel sum, ReLU, upsampled by OpenCV.
     */
    private static float[] expectedEigenMap(Explanation e) {
        try (PointerScope scope = new PointerScope()) {
            Tensor a = layerOutput(e).reshape(CHANNELS, -1).t().to(torch.ScalarType.Double);
            Tensor centred = a.sub(a.mean(new long[]{0}, true, new ScalarTypeOptional()));
            Tensor firstDirection = torch.linalg_svd(centred).get2().select(0, 0);
            Tensor projection = centred.matmul(firstDirection);
            if (projection.dot(a.sum(new long[]{1})).item_double() < 0) {
                projection = projection.neg();
            }
            return upsampledRelu(floats(projection.to(torch.ScalarType.Float)));
        }
    }

    /** The layer's output, computed by running the model's own submodules one by one. */
    private static Tensor layerOutput(Explanation e) {
        JitModule features = new JitModule(torch.load(file.toString()).attr("features").toObject());
        Tensor x = Tensor.create(e.input().toArray(), 1, 3, 224, 224);
        for (int i = 0; i <= 6; i++) {
            x = new JitModule(features.attr(String.valueOf(i)).toObject()).forward(new IValueVector(new IValue(x)))
                    .toTensor();
        }
        return x;
    }

    private static float[] upsampledRelu(float[] map) {
        int side = (int) Math.round(Math.sqrt(map.length));
        for (int j = 0; j < map.length; j++) {
            map[j] = Math.max(map[j], 0);
        }
        Mat small = new Mat(side, side, opencv_core.CV_32F, new FloatPointer(map));
        Mat large = new Mat();
        resize(small, large, new Size(224, 224), 0, 0, INTER_LINEAR);
        float[] out = new float[224 * 224];
        ((FloatBuffer) large.createBuffer()).get(out);
        return out;
    }

    private static float[] floats(Tensor t) {
        Tensor c = t.contiguous();
        float[] values = new float[(int) c.numel()];
        ((FloatBuffer) c.createBuffer()).get(values);
        return values;
    }

    private static float max(float[] values) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
