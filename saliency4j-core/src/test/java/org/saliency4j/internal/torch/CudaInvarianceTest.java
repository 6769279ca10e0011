package org.saliency4j.internal.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.explain.Engine;
import org.saliency4j.EngineSettings;
import org.saliency4j.Score;

/** The CUDA path gives the CPU path's answers. Skipped where libtorch sees no CUDA device (CI, most laptops). */
class CudaInvarianceTest {
    private static final int SIZE = 32;

    @TempDir
    static Path dir;

    @BeforeAll
    static void requireCuda() {
        assumeTrue(torch.cuda_is_available(), "no CUDA device: the CUDA path is checked on a GPU machine");
        // Loading no longer turns TF32 off: the recommended engine settings do (full fp32, so CUDA equals CPU).
        Engine.configure(EngineSettings.recommended());
        assertFalse(Tf32.allowed());
    }

    @Test
    void cudaGradientsEqualCpuGradients() {
        Path file = dir.resolve("conv.pt");
        TestModels.convNet(file, 16, 10, 21);
        float[] x = new float[4 * 3 * SIZE * SIZE];
        Random random = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        int[] targets = {1, 9, 4, 4};
        try (TorchClassifier cpu = TorchClassifier.load(file, "cpu", SIZE, 1);
             TorchClassifier cuda = TorchClassifier.load(file, "cuda", SIZE, 1)) {
            assertEquals("cuda:0", cuda.device());
            for (Score score : Score.values()) {
                GradientBatch onCpu = cpu.gradients(x, 4, SIZE, SIZE, (i, p) -> targets[i], score);
                GradientBatch onCuda = cuda.gradients(x, 4, SIZE, SIZE, (i, p) -> targets[i], score);
                assertArrayEquals(onCpu.targets(), onCuda.targets());
                assertArrayEquals(onCpu.probabilities(), onCuda.probabilities(), 1e-4f);
                // cuDNN may use TF32 for convolutions: about three decimal digits, relative to the largest value.
                float scale = maxAbs(onCpu.gradient());
                assertArrayEquals(onCpu.gradient(), onCuda.gradient(), 5e-3f * scale, score.toString());
            }
        }
    }

    @Test
    void topOneIsChosenOnTheDevicesProbabilities() {
        Path file = dir.resolve("conv2.pt");
        TestModels.convNet(file, 8, 5, 2);
        float[] x = new float[3 * SIZE * SIZE];
        try (TorchClassifier cuda = TorchClassifier.load(file, "cuda:0", SIZE, 1)) {
            GradientBatch result = cuda.gradients(x, 1, SIZE, SIZE,
                    (i, p) -> TorchClassifierTest.argmax(p), Score.LOGIT);
            assertEquals(TorchClassifierTest.argmax(result.probabilities()), result.targets()[0]);
            assertTrue(result.gradient().length == 3 * SIZE * SIZE);
        }
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
