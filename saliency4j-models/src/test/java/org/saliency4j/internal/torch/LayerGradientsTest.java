package org.saliency4j.internal.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.CompilationUnit;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.QualifiedName;
import org.bytedeco.pytorch.QualifiedNameOptional;
import org.bytedeco.pytorch.SimpleSelf;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.LayerInfo;
import org.saliency4j.SaliencyException;
import org.saliency4j.Score;
import org.saliency4j.method.LayerBatch;
import org.saliency4j.models.BuiltinModels;

/**
 * A layer's output and the gradient w.r.t. it, on models whose heads give the gradient in closed form: for
 * {@code logits = W . mean_positions(relu?(A)) + b}, dS/dA[k, p] = W[c, k] / positions (times [A > 0] with the ReLU).
 * Three kinds of forward: one scripted by PyTorch (submodule calls, an in-place ReLU after the layer), the
 * DenseNet this project writes (submodule parameters read directly), and one with branches and helper methods.
 */
class LayerGradientsTest {
    private static final int SIZE = 64;

    @TempDir
    Path dir;

    @Test
    void layersOfAModelScriptedByPyTorchAreItsModulePathsWithShapes() throws Exception {
        try (TorchClassifier tiny = TorchClassifier.load(tinyCnn(), "cpu", SIZE, 0)) {
            List<LayerInfo> layers = tiny.layers(SIZE);
            assertEquals(List.of("features.0", "features.1", "features.2", "features.3", "features.4", "features.5",
                    "features.6", "features.7", "classifier"), layers.stream().map(LayerInfo::name).toList());
            assertArrayEquals(new int[]{1, 16, 32, 32}, layers.get(0).shape());
            assertArrayEquals(new int[]{1, 32, 1, 1}, layers.get(7).shape());
            assertArrayEquals(new int[]{1, 1000}, layers.get(8).shape());
            // The pooled 1x1 output is not a feature map: the default is the ReLU before it.
            assertEquals("features.6", tiny.defaultLayer(SIZE));
        }
    }

    @Test
    void layerShapesFollowEachInputSizeAskedFor() throws Exception {
        try (TorchClassifier tiny = TorchClassifier.load(tinyCnn(), "cpu", SIZE, 0)) {
            // The first convolution halves the side: 64 -> 32, 32 -> 16, 48 -> 24, whichever size came first.
            assertArrayEquals(new int[]{1, 16, 32, 32}, tiny.layers(64).get(0).shape());
            assertArrayEquals(new int[]{1, 16, 16, 16}, tiny.layers(32).get(0).shape());
            assertArrayEquals(new int[]{1, 16, 24, 24}, tiny.layers(48).get(0).shape());
            assertArrayEquals(new int[]{1, 16, 32, 32}, tiny.layers(64).get(0).shape());
            assertArrayEquals(new int[]{1, 1000}, tiny.layers(32).get(8).shape());
            // More sizes than the cache keeps: the oldest are traced again when asked for, still right.
            for (int side = 16; side < 16 + 2 * (LayerTaps.SIZES_KEPT + 2); side += 2) {
                assertArrayEquals(new int[]{1, 16, side / 2, side / 2}, tiny.layers(side).get(0).shape());
            }
            assertArrayEquals(new int[]{1, 16, 32, 32}, tiny.layers(64).get(0).shape());
        }
    }

    @Test
    void gradientBeforeGlobalPoolingIsTheClassWeightOverPositions() throws Exception {
        float[] input = random(2, 1);
        float[] weight = parameter(tinyCnn(), "classifier", "weight");
        try (TorchClassifier tiny = TorchClassifier.load(tinyCnn(), "cpu", SIZE, 0)) {
            LayerBatch relu = tiny.layerGradients(input, 2, SIZE, SIZE, (i, p) -> 10 + i, Score.LOGIT, "features.6");
            assertEquals(32, relu.channels());
            assertEquals(16, relu.height());
            int positions = 16 * 16;
            for (int n = 0; n < 2; n++) {
                for (int k = 0; k < 32; k++) {
                    for (int j = 0; j < positions; j++) {
                        int at = (n * 32 + k) * positions + j;
                        assertEquals(weight[(10 + n) * 32 + k] / positions, relu.gradients()[at], 1e-7);
                    }
                }
            }
            // features.5 is the BatchNorm whose output the ReLU then overwrites in place: its own output and
            // gradient are returned, as a PyTorch hook sees them.
            LayerBatch norm = tiny.layerGradients(input, 2, SIZE, SIZE, (i, p) -> 10 + i, Score.LOGIT, "features.5");
            boolean negative = false;
            for (int i = 0; i < norm.activations().length; i++) {
                float a = norm.activations()[i];
                negative |= a < 0;
                assertEquals(Math.max(a, 0), relu.activations()[i], 1e-6);
                int k = i / positions % 32;
                int n = i / positions / 32;
                float expected = a > 0 ? weight[(10 + n) * 32 + k] / positions : 0;
                assertEquals(expected, norm.gradients()[i], 1e-7);
            }
            assertTrue(negative, "the BatchNorm's output before the ReLU has negative values");
        }
    }

    @Test
    void eachImageOfABatchGetsItsOwnLayerGradient() throws Exception {
        float[] input = random(2, 2);
        try (TorchClassifier tiny = TorchClassifier.load(tinyCnn(), "cpu", SIZE, 0)) {
            LayerBatch both = tiny.layerGradients(input, 2, SIZE, SIZE, (i, p) -> 3 * i, Score.PROBABILITY,
                    "features.4");
            int each = both.activations().length / 2;
            for (int n = 0; n < 2; n++) {
                float[] one = java.util.Arrays.copyOfRange(input, n * 3 * SIZE * SIZE, (n + 1) * 3 * SIZE * SIZE);
                int target = 3 * n;
                LayerBatch alone = tiny.layerGradients(one, 1, SIZE, SIZE, (i, p) -> target, Score.PROBABILITY,
                        "features.4");
                for (int i = 0; i < each; i++) {
                    assertEquals(alone.activations()[i], both.activations()[n * each + i], 1e-5);
                    assertEquals(alone.gradients()[i], both.gradients()[n * each + i], 1e-6);
                }
                assertEquals(alone.scores()[0], both.scores()[n], 1e-6);
            }
        }
    }

    @Test
    void denseNetNorm5GradientMatchesItsHead() throws Exception {
        Path file = dir.resolve("densenet121.pt");
        BuiltinModels.build("densenet121", file, 5, (step, loss) -> { });
        float[] weight = parameter(file, "classifier", "weight");
        try (TorchClassifier densenet = TorchClassifier.load(file, "cpu", SIZE, 0)) {
            assertEquals("features.norm5", densenet.defaultLayer(SIZE));
            LayerBatch b = densenet.layerGradients(random(1, 3), 1, SIZE, SIZE, (i, p) -> 207, Score.LOGIT,
                    "features.norm5");
            assertEquals(1024, b.channels());
            int positions = b.height() * b.width();
            assertEquals(4, positions);
            int active = 0;
            for (int i = 0; i < b.activations().length; i++) {
                boolean on = b.activations()[i] > 0;
                active += on ? 1 : 0;
                float expected = on ? weight[207 * 1024 + i / positions] / positions : 0;
                assertEquals(expected, b.gradients()[i], 1e-7);
            }
            assertTrue(active > 0 && active < b.activations().length, "both signs occur: " + active);
        }
    }

    /**
     * A child written as torchvision's DenseNet layers are: a forward taking a list, a condition that calls a
     * helper method inside an {@code and}, a branch that raises, helper methods; the layer is the child.
     */
    @Test
    void branchesAndHelperMethodsAreInlined() throws Exception {
        Path file = dir.resolve("branchy.pt");
        float[] fc = random(1, 4);
        try (PointerScope scope = new PointerScope()) {
            CompilationUnit unit = new CompilationUnit();
            JitModule root = new JitModule(new QualifiedName("__torch__.Branchy"), unit, true);
            JitModule body = new JitModule(new QualifiedName("__torch__.Branchy_body"), unit, true);
            body.register_parameter("scale", Tensor.create(new float[]{2f}, 1), false);
            root.register_module("body", body);
            root.register_parameter("fc_weight", Tensor.create(java.util.Arrays.copyOf(fc, 4 * 3), 4, 3), false);
            unit.define(new QualifiedNameOptional(body.type().name().get()),
                    "def double(self, x):\n"
                            + "    return x * self.scale\n"
                            + "def any_requires_grad(self, xs: List[Tensor]) -> bool:\n"
                            + "    for t in xs:\n"
                            + "        if t.requires_grad:\n"
                            + "            return True\n"
                            + "    return False\n"
                            + "def forward(self, xs: List[Tensor]):\n"
                            + "    x = torch.cat(xs, 1)\n"
                            + "    assert not (bool(x.sum() > 1e9) and self.any_requires_grad(xs)), 'not this input'\n"
                            + "    if bool(x.sum() > 1e9):\n"
                            + "        y = self.double(x) + 1.0\n"
                            + "    else:\n"
                            + "        y = self.double(x)\n"
                            + "    return self.double(y)\n",
                    torch.nativeResolver(), new SimpleSelf(body.type()));
            unit.define(new QualifiedNameOptional(root.type().name().get()),
                    "def forward(self, x):\n"
                            + "    return torch.linear(torch.mean(self.body.forward([x]), [2, 3]), self.fc_weight)\n",
                    torch.nativeResolver(), new SimpleSelf(root.type()));
            root.save(file.toString());
        }
        float[] input = random(1, 5);
        try (TorchClassifier branchy = TorchClassifier.load(file, "cpu", SIZE, 0)) {
            assertEquals("body", branchy.defaultLayer(SIZE));
            LayerBatch b = branchy.layerGradients(input, 1, SIZE, SIZE, (i, p) -> 2, Score.LOGIT, "body");
            int positions = SIZE * SIZE;
            for (int i = 0; i < input.length; i++) {
                assertEquals(4 * input[i], b.activations()[i], 1e-5);
                assertEquals(fc[2 * 3 + i / positions] / positions, b.gradients()[i], 1e-9);
            }
        }
    }

    @Test
    void unknownAndNonSpatialLayersAreOptionErrors() throws Exception {
        try (TorchClassifier tiny = TorchClassifier.load(tinyCnn(), "cpu", SIZE, 0)) {
            SaliencyException unknown = assertThrows(SaliencyException.class, () -> tiny.checkLayer("features.9", SIZE));
            assertEquals(SaliencyException.Kind.OPTION, unknown.kind());
            assertTrue(unknown.getMessage().contains("no layer features.9")
                    && unknown.getMessage().contains("features.6"), unknown.getMessage());
            SaliencyException flat = assertThrows(SaliencyException.class, () -> tiny.checkLayer("classifier", SIZE));
            assertTrue(flat.getMessage().contains("[1, 1000]"), flat.getMessage());
            assertThrows(SaliencyException.class, () -> tiny.layerGradients(random(1, 6), 1, SIZE, SIZE,
                    (i, p) -> 0, Score.LOGIT, "classifier"));
            // The Sequential's name answers for the value of its last child.
            tiny.checkLayer("features", SIZE);
        }
    }

    @Test
    void aModelWithoutSubmodulesSaysWhyItHasNoLayers() {
        Path file = dir.resolve("flat.pt");
        TestModels.convNet(file, 4, 3, 1);
        try (TorchClassifier flat = TorchClassifier.load(file, "cpu", 16, 0)) {
            assertTrue(flat.layers(16).isEmpty());
            SaliencyException e = assertThrows(SaliencyException.class, () -> flat.defaultLayer(16));
            assertTrue(e.getMessage().contains("no named layers"), e.getMessage());
        }
    }

    /**
     * The PyTorch-scripted tiny CNN of the core's reference fixtures, copied to a file: it is a resource of the
     * core's test jar, which is a directory in a reactor build but a jar once installed.
     */
    static Path tinyCnn() throws IOException {
        Path file = Files.createTempFile("tiny_cnn-", ".pt");
        file.toFile().deleteOnExit();
        try (InputStream in = LayerGradientsTest.class.getResourceAsStream("/org/saliency4j/reference/tiny_cnn.pt")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /** A parameter read straight from the file, independently of the code under test. */
    static float[] parameter(Path file, String child, String name) {
        try (PointerScope scope = new PointerScope()) {
            JitModule module = torch.load(file.toString());
            Tensor t = new JitModule(module.attr(child).toObject()).attr(name).toTensor().contiguous();
            FloatBuffer buffer = t.createBuffer();
            float[] values = new float[(int) t.numel()];
            buffer.get(values);
            return values;
        }
    }

    private static float[] random(int batch, long seed) {
        Random random = new Random(seed);
        float[] values = new float[batch * 3 * SIZE * SIZE];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
