package org.saliency4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.FloatTensor;
import org.saliency4j.models.torch.ModuleSpec;
import org.saliency4j.internal.torch.ScriptedOutputs;

/**
 * The architectures written from Java against PyTorch's own answers (torchvision 0.14, shared/fixtures/weights):
 * the state dict entry for entry, and, with the fixtures' formula weights, the logits and the top logit's input
 * gradient.
 */
class TorchvisionArchitecturesTest {
    @TempDir
    Path dir;

    /**
     * The input gradient is compared in relative L2 norm, not element by element: through ResNet-50's 49 ReLUs,
     * with logits near 39, it is far more sensitive to float32 rounding than the logits (a pre-activation within
     * rounding of zero switches a path on or off). Measured: PyTorch's own float32 answer is 1.4e-3 from the
     * float64 gradient of this same model, with 860 of its elements off by more than 1e-3 of the largest; this
     * forward's float32 gradient (libtorch's native convolution) is 3.0e-3 from float64, and 2.6e-3 from PyTorch's.
     */
    @Test
    void resnet50() {
        TorchvisionReference reference = new TorchvisionReference("resnet50");
        ScriptedOutputs outputs = outputs(ResNet.named("resnet50"), reference);
        assertLogitsClose(reference.logits(), outputs.logits());
        assertGradientCloseInNorm(reference.inputGradient(), outputs.gradient(), 5e-3);
    }

    @Test
    void mobilenetV3Large() {
        matchesTorchvision(MobileNetV3.named("mobilenet_v3_large"));
    }

    @Test
    void efficientnetB0() {
        matchesTorchvision(EfficientNet.B0);
    }

    @Test
    void convnextTiny() {
        matchesTorchvision(ConvNeXt.TINY);
    }

    /** 86M formula weights to compute and write, and a forward on 197 tokens: about 35 s on 2 cores. */
    @Test
    @Tag("slow")
    void vitB16() {
        matchesTorchvision(VisionTransformer.B_16);
    }

    /** The quick half of {@link #vitB16}: names, order and shapes (values are made only when written). */
    @Test
    void vitB16StateDict() {
        TorchvisionReference reference = new TorchvisionReference("vit_b_16");
        ModuleSpec spec = VisionTransformer.B_16.spec(0);
        assertEquals(reference.stateDict(), stateDict(spec));
        // torchvision's documentation lists 86,567,656 parameters for ViT-B/16.
        assertEquals(86_567_656L, spec.parameterCount());
    }

    /** Logits within 1e-4 and the input gradient within 1e-3 of the largest reference value, element by element. */
    private void matchesTorchvision(Architecture architecture) {
        TorchvisionReference reference = new TorchvisionReference(architecture.name());
        ScriptedOutputs outputs = outputs(architecture, reference);
        assertLogitsClose(reference.logits(), outputs.logits());
        assertWithinScale(reference.inputGradient(), outputs.gradient(), 1e-3, "input gradient");
    }

    /** The architecture with the reference's weights, its state dict checked, written and run on the input. */
    private ScriptedOutputs outputs(Architecture architecture, TorchvisionReference reference) {
        assertEquals(reference.stateDict(), stateDict(architecture.spec(0)), architecture.name() + "'s state dict");
        Path file = dir.resolve(architecture.name() + ".pt");
        Architectures.write(architecture, reference.weights(), 0, file);
        return ScriptedOutputs.of(file, TorchvisionReference.input(), TorchvisionReference.SIDE);
    }

    /** {@code name dtype dims...} per entry, as the reference lists them. */
    static List<String> stateDict(ModuleSpec spec) {
        List<String> lines = new ArrayList<>();
        spec.stateDictShapes().forEach((name, shape) -> lines.add((name + " "
                + (shape.length == 0 ? "int64" : "float32") + " "
                + Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(" "))).strip()));
        return lines;
    }

    static void assertLogitsClose(FloatTensor expected, float[] actual) {
        assertWithinScale(expected, actual, 1e-4, "logits");
    }

    /** Each value within {@code relative} of the largest reference magnitude. */
    static void assertWithinScale(FloatTensor expected, float[] actual, double relative, String what) {
        assertEquals(expected.size(), actual.length, what);
        double scale = 0;
        double worst = 0;
        int at = 0;
        for (int i = 0; i < actual.length; i++) {
            scale = Math.max(scale, Math.abs(expected.at(i)));
            double error = Math.abs(actual[i] - expected.at(i));
            if (error > worst) {
                worst = error;
                at = i;
            }
        }
        assertTrue(worst <= relative * scale, what + ": " + actual[at] + " at " + at + " against " + expected.at(at)
                + ", an error of " + worst + " over a scale of " + scale);
    }

    static void assertGradientCloseInNorm(FloatTensor expected, float[] actual, double relative) {
        assertEquals(expected.size(), actual.length, "input gradient");
        double error = 0;
        double norm = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = actual[i] - expected.at(i);
            error += d * d;
            norm += (double) expected.at(i) * expected.at(i);
        }
        double rel = Math.sqrt(error / norm);
        assertTrue(rel <= relative, "input gradient: relative L2 error " + rel);
    }
}
