package org.saliency4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.torch.TorchClassifier;

/**
 * Against PyTorch 2.11 and torchvision themselves: a classifier written by {@code torch.jit.script}, images
 * preprocessed by torchvision's transforms, gradients by autograd. The fixtures and the script that wrote them:
 * {@code src/test/python/make_reference.py} (run on the GPU machine, which has PyTorch).
 */
class PyTorchReferenceTest {
    private static final String DIR = "reference/";

    @TempDir
    static Path dir;
    static SaliencyModel model;
    static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        Path file = dir.resolve("tiny_cnn.pt");
        try (InputStream in = resource("tiny_cnn.pt")) {
            Files.copy(in, file);
        }
        model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu"));
        try (InputStream in = resource("reference.json")) {
            reference = new ObjectMapper().readTree(in).get("images");
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void a256SquareImageBecomesTorchvisionsTensorExactly() throws IOException {
        Explanation e = explain("astronaut256.png", ExplainRequest.defaults());
        assertArrayEquals(npy("astronaut256-input.npy").toArray(), e.input().toArray());
    }

    @Test
    void otherImagesBecomeTorchvisionsTensorWithinResamplingDifferences() throws IOException {
        Explanation e = explain("../chelsea.png", ExplainRequest.defaults());
        float[] expected = npy("chelsea-input.npy").toArray();
        float[] actual = e.input().toArray();
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            sum += Math.abs(expected[i] - actual[i]);
        }
        // PIL's antialiased bilinear against OpenCV's area averaging: about one grey level (0.017) on average.
        assertTrue(sum / expected.length < 0.03, "mean absolute difference " + sum / expected.length);
    }

    @ParameterizedTest
    @CsvSource({"top1-logit, top1, logit", "291-probability, 291, probability",
            "281-log-probability, 281, log-probability"})
    void predictionsTargetsAndGradientsMatchPyTorch(String name, String target, String score) throws IOException {
        ExplainRequest request = ExplainRequest.defaults().withTarget(Target.parse(target)).withScore(Score.parse(score));
        Explanation e = explain("astronaut256.png", request);
        JsonNode expected = reference.get("astronaut256");
        JsonNode top5 = expected.get("top5");
        for (int i = 0; i < 5; i++) {
            assertEquals(top5.get(i).get(0).asInt(), e.predictions().get(i).index(), "rank " + i);
            assertEquals(top5.get(i).get(1).asDouble(), e.predictions().get(i).probability(), 1e-6, "rank " + i);
        }
        JsonNode c = expected.get("cases").get(name);
        assertEquals(c.get("target").asInt(), e.target().index());
        assertEquals(c.get("value").asDouble(), e.target().value(), 1e-5 * Math.max(1, Math.abs(c.get("value").asDouble())));
        assertRelativeError(npy("astronaut256-" + name + "-grad.npy").toArray(), e.gradient().toArray(), 1e-4);
    }

    @ParameterizedTest
    @CsvSource({"top1-logit, 867, LOGIT", "291-probability, 291, PROBABILITY",
            "281-log-probability, 281, LOG_PROBABILITY"})
    void gradientsOfTorchvisionsOwnTensorMatchPyTorch(String name, int target, Score score) throws IOException {
        float[] input = npy("chelsea-input.npy").toArray();
        try (TorchClassifier classifier = TorchClassifier.load(dir.resolve("tiny_cnn.pt"), "cpu", 0, 224, 0)) {
            float[] gradient = classifier.gradients(input, 1, 224, 224, (i, p) -> target, score).gradient();
            assertRelativeError(npy("chelsea-" + name + "-grad.npy").toArray(), gradient, 1e-4);
        }
        assertEquals(target, reference.get("chelsea").get("cases").get(name).get("target").asInt());
    }

    /** max |actual - expected| relative to max |expected|, as the 1e-3 criterion reads. */
    private static void assertRelativeError(float[] expected, float[] actual, double bound) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        assertTrue(maxRef > 0, "the reference gradient is not all zeros");
        assertTrue(maxDiff / maxRef < bound, "relative error " + maxDiff / maxRef);
    }

    private static Explanation explain(String image, ExplainRequest request) throws IOException {
        try (InputStream in = resource(image)) {
            return model.explain(ImageInput.bytes(image, in.readAllBytes()), request);
        }
    }

    private static FloatTensor npy(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return Npy.read(in);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = PyTorchReferenceTest.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IllegalStateException("missing test fixture " + DIR + name);
        }
        return in;
    }
}
