package org.saliency4j.explain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.FloatTensor;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.Preprocessing;
import org.saliency4j.RenderKind;
import org.saliency4j.RenderOptions;
import org.saliency4j.Score;
import org.saliency4j.internal.image.TestImages;
import org.saliency4j.internal.torch.TestModels;
import org.saliency4j.io.PictureEncoder;
import org.saliency4j.method.Method;

/**
 * Native memory stays flat over thousands of calls: every tensor and Mat a call makes is freed by that call's
 * PointerScope, not left to the garbage collector.
 */
class NativeMemoryTest {
    private static final int CALLS = 3000;

    @TempDir
    Path dir;

    @Test
    void thousandsOfExplanationsAndRenderingsLeaveNativeMemoryFlat() {
        Path file = dir.resolve("conv.pt");
        TestModels.convNet(file, 8, 10, 1);
        byte[] png = TestImages.encode(TestImages.pattern(80, 60, 1), ".png");
        Preprocessing small = new Preprocessing(Preprocessing.Mode.TORCHVISION, 64, 48,
                Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD);
        ExplainRequest request = ExplainRequest.defaults().withPreprocessing(small);
        try (SaliencyModel model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu").withInputSize(48))) {
            for (int i = 0; i < 200; i++) {
                explainAndRender(model, png, request);
            }
            long trackedBefore = Pointer.totalBytes();
            long residentBefore = Pointer.physicalBytes();
            for (int i = 0; i < CALLS; i++) {
                explainAndRender(model, png, request);
            }
            long trackedGrowth = Pointer.totalBytes() - trackedBefore;
            long residentGrowth = Pointer.physicalBytes() - residentBefore;
            // Without scopes each call would leave its input tensor, gradient and Mats behind: over 100 KB a call,
            // hundreds of MB over the run. The bounds leave room for the JVM's own heap and JIT growth.
            assertTrue(trackedGrowth < 1 << 20, "JavaCPP-tracked native bytes grew by " + trackedGrowth);
            assertTrue(residentGrowth < 16L << 20, "resident memory grew by " + (residentGrowth >> 20) + " MB");
        }
    }

    @Test
    void guidedBackpropagationsHooksDieWithTheirGraphs() {
        Path file = dir.resolve("conv.pt");
        TestModels.convNet(file, 8, 10, 2);
        byte[] png = TestImages.encode(TestImages.pattern(40, 40, 2), ".png");
        Preprocessing small = new Preprocessing(Preprocessing.Mode.STRETCH, 32, 32,
                Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD);
        ExplainRequest request = ExplainRequest.defaults().withPreprocessing(small)
                .withMethod(Method.guidedBackprop());
        try (SaliencyModel model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu").withInputSize(32))) {
            for (int i = 0; i < 200; i++) {
                model.explain(ImageInput.bytes("p", png), request);
            }
            long residentBefore = Pointer.physicalBytes();
            for (int i = 0; i < CALLS; i++) {
                model.explain(ImageInput.bytes("p", png), request);
            }
            long residentGrowth = Pointer.physicalBytes() - residentBefore;
            // Leaking each call's autograd graph would cost over 100 KB a call. What remains is malloc growing its
            // arenas in steps (seen: +8 to +17 MB once or twice in the first 6000 calls, then flat).
            assertTrue(residentGrowth < 64L << 20, "resident memory grew by " + (residentGrowth >> 20) + " MB");
        }
    }

    /** Grad-CAM's rewritten forward is made once per layer; its calls leave nothing behind. */
    @Test
    void gradCamCallsLeaveNothingBehind() throws Exception {
        Path tiny = Path.of(getClass().getResource("/org/saliency4j/reference/tiny_cnn.pt").toURI());
        byte[] png = TestImages.encode(TestImages.pattern(40, 40, 2), ".png");
        Preprocessing small = new Preprocessing(Preprocessing.Mode.STRETCH, 32, 32,
                Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD);
        ExplainRequest request = ExplainRequest.defaults().withPreprocessing(small)
                .withMethod(Method.gradCamPlusPlus());
        try (SaliencyModel model = SaliencyModel.load(tiny, ModelOptions.defaults().withDevice("cpu").withInputSize(32))) {
            for (int i = 0; i < 200; i++) {
                model.explain(ImageInput.bytes("p", png), request);
            }
            long trackedBefore = Pointer.totalBytes();
            long residentBefore = Pointer.physicalBytes();
            for (int i = 0; i < CALLS; i++) {
                model.explain(ImageInput.bytes("p", png), request);
            }
            long trackedGrowth = Pointer.totalBytes() - trackedBefore;
            long residentGrowth = Pointer.physicalBytes() - residentBefore;
            assertTrue(trackedGrowth < 1 << 20, "JavaCPP-tracked native bytes grew by " + trackedGrowth);
            assertTrue(residentGrowth < 64L << 20, "resident memory grew by " + (residentGrowth >> 20) + " MB");
        }
    }

    /** Forward-only scores (perturbation methods, faithfulness curves) free their tensors with their call. */
    @Test
    void forwardOnlyScoresLeaveNothingBehind() {
        Path file = dir.resolve("conv.pt");
        TestModels.convNet(file, 8, 10, 3);
        FloatTensor inputs = new FloatTensor(new int[]{4, 3, 32, 32}, new float[4 * 3 * 32 * 32]);
        try (SaliencyModel model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu")
                .withInputSize(32).withBatch(2))) {
            for (int i = 0; i < 200; i++) {
                model.scores(inputs, 1, Score.PROBABILITY);
            }
            long trackedBefore = Pointer.totalBytes();
            long residentBefore = Pointer.physicalBytes();
            for (int i = 0; i < CALLS; i++) {
                model.scores(inputs, i % 10, Score.PROBABILITY);
            }
            long trackedGrowth = Pointer.totalBytes() - trackedBefore;
            long residentGrowth = Pointer.physicalBytes() - residentBefore;
            // Each call makes two passes of two 32x32 inputs: a leak would be tens of KB a call, over 100 MB here.
            assertTrue(trackedGrowth < 1 << 20, "JavaCPP-tracked native bytes grew by " + trackedGrowth);
            assertTrue(residentGrowth < 64L << 20, "resident memory grew by " + (residentGrowth >> 20) + " MB");
        }
    }

    private static void explainAndRender(SaliencyModel model, byte[] png, ExplainRequest request) {
        Explanation e = model.explain(ImageInput.bytes("p", png), request);
        PictureEncoder.png(e.render(RenderOptions.defaults().withKind(RenderKind.PANEL)));
    }
}
