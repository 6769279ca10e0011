package org.saliency4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.Preprocessing;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.internal.image.TestImages;
import org.saliency4j.method.Method;

class DenseNetTest {
    @TempDir
    Path dir;

    @Test
    void parameterCountsAreTorchvisions() {
        // torchvision's model documentation lists these counts for densenet121, 161, 169 and 201.
        Map<String, Long> torchvision = Map.of("densenet121", 7_978_856L, "densenet161", 28_681_000L,
                "densenet169", 14_149_480L, "densenet201", 20_013_928L);
        for (DenseNet net : DenseNet.ALL) {
            assertEquals(torchvision.get(net.name()), net.spec(1).parameterCount(), net.name());
        }
    }

    @Test
    void stateDictNamesShapesAndOrderAreTorchvisionsExactly() throws Exception {
        // Written by benchmarks/gpu/check_densenet.py from torchvision 0.26's own models.
        for (DenseNet net : DenseNet.ALL) {
            List<String> expected;
            try (InputStream in = getClass().getResourceAsStream(net.name() + "-state-dict.txt")) {
                expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).toList();
            }
            List<String> actual = new ArrayList<>();
            net.spec(1).stateDictShapes().forEach((name, shape) -> actual.add((name + " "
                    + Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(" "))).strip()));
            assertEquals(expected, actual, net.name());
        }
    }

    @Test
    void stateDictNamesAndShapesFollowTorchvision() {
        Map<String, int[]> shapes = DenseNet.named("densenet201").spec(1).stateDictShapes();
        assertArrayEquals(new int[]{64, 3, 7, 7}, shapes.get("features.conv0.weight"));
        assertArrayEquals(new int[0], shapes.get("features.norm0.num_batches_tracked"));
        assertArrayEquals(new int[]{128, 64, 1, 1}, shapes.get("features.denseblock1.denselayer1.conv1.weight"));
        assertArrayEquals(new int[]{32, 128, 3, 3}, shapes.get("features.denseblock4.denselayer32.conv2.weight"));
        assertArrayEquals(new int[]{896, 1792, 1, 1}, shapes.get("features.transition3.conv.weight"));
        assertArrayEquals(new int[]{1920}, shapes.get("features.norm5.running_var"));
        assertArrayEquals(new int[]{1000, 1920}, shapes.get("classifier.weight"));
        // Per BatchNorm five entries, per convolution one, and the classifier's two.
        int norms = 1 + 2 * (6 + 12 + 48 + 32) + 3 + 1;
        int convs = 1 + 2 * (6 + 12 + 48 + 32) + 3;
        assertEquals(norms * 5 + convs + 2, shapes.size());
        assertEquals("features.conv0.weight", shapes.keySet().iterator().next());
    }

    @Test
    void theWrittenDenseNetIsAnImageNetClassifier() throws Exception {
        Path file = dir.resolve("densenet121.pt");
        BuiltinModels.build("densenet121", file, 3, (step, loss) -> { });
        try (SaliencyModel model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu").withWarmupRuns(1))) {
            assertEquals(1000, model.info().classes());
            assertEquals("tench", model.labels().name(0));
            Explanation e = model.explain(ImageInput.bytes("p.png", TestImages.encode(
                    TestImages.pattern(300, 260, 1), ".png")), ExplainRequest.defaults());
            float[] gradient = e.gradient().toArray();
            double norm = 0;
            for (float g : gradient) {
                norm += g * g;
            }
            assertTrue(norm > 0 && Double.isFinite(norm), "a usable gradient: " + norm);
        }
    }

    /**
     * Integrated gradients on the DenseNet architecture: at 128 steps the attributions sum to f(input) - f(baseline)
     * within 5% (completeness), and the reported convergence delta is that difference.
     */
    @Test
    void integratedGradientsAreCompleteOnADenseNet() throws Exception {
        Path file = dir.resolve("densenet121-ig.pt");
        BuiltinModels.build("densenet121", file, 9, (step, loss) -> { });
        Preprocessing small = Preprocessing.torchvision().withSizes(72, 64);
        try (SaliencyModel model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu")
                .withInputSize(64).withWarmupRuns(1).withBatch(32))) {
            Method ig = Method.integratedGradients(128);
            Explanation e = model.explain(ImageInput.bytes("p.png", TestImages.encode(TestImages.pattern(90, 80, 4),
                    ".png")), ExplainRequest.defaults().withPreprocessing(small).withMethod(ig));
            double sum = 0;
            for (float v : e.attribution().toArray()) {
                sum += v;
            }
            double difference = sum - e.convergenceDelta();
            assertTrue(Math.abs(difference) > 1e-3, "the zero baseline scores differently: " + difference);
            assertTrue(Math.abs(e.convergenceDelta()) <= 0.05 * Math.abs(difference),
                    "delta " + e.convergenceDelta() + " against f(x) - f(x') = " + difference);
        }
    }
}
