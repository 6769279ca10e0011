package org.saliency4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.Cancellation;
import org.saliency4j.FloatTensor;
import org.saliency4j.ClassLabels;
import org.saliency4j.Geometry;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelInfo;
import org.saliency4j.ModelOptions;
import org.saliency4j.Normalization;
import org.saliency4j.Picture;
import org.saliency4j.Prediction;
import org.saliency4j.Preprocessing;
import org.saliency4j.Reduction;
import org.saliency4j.RenderKind;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.SaliencyMap;
import org.saliency4j.Score;
import org.saliency4j.Target;
import org.saliency4j.internal.image.MapBuilder;
import org.saliency4j.internal.image.Preprocessor;
import org.saliency4j.internal.torch.TestModels;
import org.saliency4j.internal.torch.TorchClassifier;
import org.saliency4j.io.PictureEncoder;
import org.saliency4j.method.Method;

/** The public API end to end, on a real photo and a small model written for the test. */
class SaliencyModelTest {
    @TempDir
    static Path dir;
    static Path modelFile;
    static SaliencyModel model;
    static byte[] chelsea;

    @BeforeAll
    static void load() throws Exception {
        modelFile = dir.resolve("conv1000.pt");
        TestModels.convNet(modelFile, 8, 1000, 3);
        model = SaliencyModel.load(modelFile, ModelOptions.defaults().withDevice("cpu").withWarmupRuns(1));
        try (InputStream in = SaliencyModelTest.class.getResourceAsStream("/org/saliency4j/chelsea.png")) {
            chelsea = in.readAllBytes();
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void anExplanationHoldsTheRankingTheTargetTheTensorsAndTheMap() {
        Explanation e = model.explain(ImageInput.bytes("chelsea.png", chelsea), ExplainRequest.defaults());
        assertEquals("chelsea.png", e.image());
        assertEquals(5, e.predictions().size());
        for (int i = 1; i < 5; i++) {
            assertTrue(e.predictions().get(i - 1).probability() >= e.predictions().get(i).probability());
        }
        Prediction top = e.predictions().get(0);
        assertEquals(top.index(), e.target().index());
        assertEquals(ClassLabels.imagenet().name(top.index()), top.label());
        assertArrayEquals(new int[]{3, 224, 224}, e.gradient().shape());
        assertArrayEquals(new int[]{3, 224, 224}, e.input().shape());
        assertEquals(224, e.map().width());
        assertEquals(new ModelInfo(modelFile.toString(), "cpu", 1000, 224), e.model());
        assertEquals(451, e.original().width());
        assertEquals(300, e.original().height());
    }

    @Test
    void theGradientIsTheClassifiersForTheSameInputAndTheMapIsItsReduction() {
        ExplainRequest request = ExplainRequest.defaults().withTarget(Target.index(281)).withScore(Score.PROBABILITY)
                .withReduction(Reduction.L2).withNormalization(Normalization.percentile(99));
        Explanation e = model.explain(ImageInput.bytes("chelsea.png", chelsea), request);
        float[] input = Preprocessor.prepare(e.original(), Preprocessing.torchvision()).tensor();
        assertArrayEquals(input, e.input().toArray());
        try (TorchClassifier classifier = TorchClassifier.load(modelFile, "cpu", 224, 0)) {
            float[] gradient = classifier.gradients(input, 1, 224, 224, (i, p) -> 281, Score.PROBABILITY).gradient();
            assertArrayEquals(gradient, e.gradient().toArray(), 1e-9f);
            SaliencyMap map = MapBuilder.build(gradient, 224, 224, Reduction.L2, Normalization.percentile(99),
                    Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD);
            assertArrayEquals(map.toArray(), e.map().toArray());
        }
        assertEquals(281, e.target().index());
        assertEquals(ClassLabels.imagenet().name(281), e.target().label());
    }

    @Test
    void forwardOnlyScoresAreTheExplainedScoresInAnyBatchAndTheirGradientsAreNotComputed() {
        Explanation e = model.explain(ImageInput.bytes("chelsea.png", chelsea), ExplainRequest.defaults()
                .withTarget(Target.index(281)).withScore(Score.PROBABILITY));
        float[] input = e.input().toArray();
        int plane = input.length;
        // Five inputs, the explained one and four scaled copies, through batches of the model's default (16) and of 2.
        float[] five = new float[5 * plane];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < plane; j++) {
                five[i * plane + j] = input[j] * (1 - 0.2f * i);
            }
        }
        FloatTensor inputs = new FloatTensor(new int[]{5, 3, 224, 224}, five);
        float[] probabilities = model.scores(inputs, 281, Score.PROBABILITY);
        assertEquals(e.target().value(), probabilities[0], 1e-6f, "the explained image's own score");
        try (SaliencyModel pairs = SaliencyModel.load(modelFile, ModelOptions.defaults().withDevice("cpu")
                .withWarmupRuns(0).withBatch(2))) {
            assertArrayEquals(probabilities, pairs.scores(inputs, 281, Score.PROBABILITY), 1e-6f);
        }
        // Each copy's logit, against a gradient pass of that copy alone; log-probabilities against the logits.
        float[] logits = model.scores(inputs, 281, Score.LOGIT);
        float[] logProbabilities = model.scores(inputs, 281, Score.LOG_PROBABILITY);
        try (TorchClassifier classifier = TorchClassifier.load(modelFile, "cpu", 224, 0)) {
            for (int i = 0; i < 5; i++) {
                float[] one = java.util.Arrays.copyOfRange(five, i * plane, (i + 1) * plane);
                assertEquals(classifier.gradients(one, 1, 224, 224, (n, p) -> 281, Score.LOGIT).scores()[0],
                        logits[i], 1e-5f, "copy " + i);
                assertEquals(Math.log(probabilities[i]), logProbabilities[i], 1e-5, "copy " + i);
            }
        }
        SaliencyException unknown = assertThrows(SaliencyException.class,
                () -> model.scores(inputs, 1000, Score.LOGIT));
        assertTrue(unknown.getMessage().contains("class 1000"), unknown.getMessage());
    }

    @Test
    void passesCountWhatTheRequestSendsThroughTheModel() {
        ExplainRequest vanilla = ExplainRequest.defaults();
        assertEquals(1, model.passes(vanilla));
        assertEquals(51, model.passes(vanilla.withMethod(Method.smoothGrad(Method.vanilla(), 50))));
    }

    @Test
    void filesBytesAndDecodedPicturesGiveTheSameExplanation() throws Exception {
        Path file = Files.write(dir.resolve("chelsea.png"), chelsea);
        Explanation fromFile = model.explain(ImageInput.file(file), ExplainRequest.defaults());
        Explanation fromBytes = model.explain(ImageInput.bytes("b", chelsea), ExplainRequest.defaults());
        Explanation fromPicture = model.explain(ImageInput.picture("p", fromFile.original()), ExplainRequest.defaults());
        assertArrayEquals(fromFile.gradient().toArray(), fromBytes.gradient().toArray());
        assertArrayEquals(fromFile.gradient().toArray(), fromPicture.gradient().toArray());
    }

    @Test
    void targetsAreChosenByIndexOrNameAndBadOnesAreNamed() {
        ExplainRequest byName = ExplainRequest.defaults().withTarget(Target.parse("Lion"));
        assertEquals(291, model.explain(ImageInput.bytes("c", chelsea), byName).target().index());
        SaliencyException range = assertThrows(SaliencyException.class, () ->
                model.explain(ImageInput.bytes("c", chelsea), ExplainRequest.defaults().withTarget(Target.index(1000))));
        assertEquals(SaliencyException.Kind.TARGET, range.kind());
        assertTrue(range.getMessage().contains("out of range"), range.getMessage());
        SaliencyException unknown = assertThrows(SaliencyException.class, () -> Target.parse("unicorn").validate(model.labels()));
        assertTrue(unknown.getMessage().contains("unknown class name 'unicorn'"), unknown.getMessage());
    }

    @Test
    void labelsComeFromAFileOrFallBackToIndices() throws Exception {
        Path five = dir.resolve("conv5.pt");
        TestModels.convNet(five, 4, 5, 1);
        try (SaliencyModel indices = SaliencyModel.load(five, ModelOptions.defaults().withDevice("cpu"))) {
            assertEquals("3", indices.labels().name(3));
        }
        Path names = Files.writeString(dir.resolve("names.txt"), "circle\nsquare\ntriangle\ncross\nstar\n");
        try (SaliencyModel named = SaliencyModel.load(five,
                ModelOptions.defaults().withDevice("cpu").withLabels(ClassLabels.fromFile(names)))) {
            assertEquals("cross", named.labels().name(3));
            assertEquals(4, Target.parse("star").resolve(new float[5], named.labels()));
        }
    }

    @Test
    void oneModelServesManyThreadsWithTheSameResultsAsOne() throws Exception {
        ExplainRequest request = ExplainRequest.defaults();
        float[] expected = model.explain(ImageInput.bytes("c", chelsea), request).gradient().toArray();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> model.explain(ImageInput.bytes("c", chelsea), request).gradient().toArray()));
            }
            for (Future<float[]> f : futures) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    /** A model on the CPU runs the CPU's batch unless its options give one; a call may give its own, or 0. */
    @Test
    void theBatchIsTheDevicesUnlessGiven() {
        assertEquals(ModelOptions.CPU_BATCH, model.batch());
        try (SaliencyModel three = SaliencyModel.load(modelFile, ModelOptions.defaults().withDevice("cpu")
                .withWarmupRuns(0).withBatch(3))) {
            assertEquals(3, three.batch());
        }
        ExplainRequest request = ExplainRequest.defaults().withMethod(Method.smoothGrad(Method.vanilla(), 5));
        List<ImageInput> image = List.of(ImageInput.bytes("chelsea.png", chelsea));
        assertArrayEquals(model.explainBatch(image, request, 1, Cancellation.NEVER).get(0).attribution().toArray(),
                model.explainBatch(image, request, 0, Cancellation.NEVER).get(0).attribution().toArray(), 1e-6f,
                "0 is the model's batch; the batch bounds memory, not results");
    }

    @Test
    void aBatchOfImagesGivesEachTheExplanationItGetsAlone() throws Exception {
        byte[] rocket;
        try (InputStream in = SaliencyModelTest.class.getResourceAsStream("/org/saliency4j/rocket.jpg")) {
            rocket = in.readAllBytes();
        }
        List<ImageInput> images = List.of(ImageInput.bytes("chelsea.png", chelsea), ImageInput.bytes("rocket.jpg", rocket),
                ImageInput.bytes("again.png", chelsea));
        ExplainRequest request = ExplainRequest.defaults();
        List<Explanation> batch = model.explainBatch(images, request, 2, Cancellation.NEVER);
        assertEquals(3, batch.size());
        for (int i = 0; i < 3; i++) {
            Explanation alone = model.explain(images.get(i), request);
            assertEquals(images.get(i).name(), batch.get(i).image());
            assertEquals(alone.target(), batch.get(i).target());
            assertArrayEquals(alone.gradient().toArray(), batch.get(i).gradient().toArray(), 1e-6f);
            assertArrayEquals(alone.map().toArray(), batch.get(i).map().toArray(), 1e-5f);
        }
    }

    @Test
    void renderingsHaveTheSizeTheGeometryAsksFor() {
        Explanation e = model.explain(ImageInput.bytes("c", chelsea), ExplainRequest.defaults());
        Picture crop = e.render(RenderOptions.defaults());
        assertEquals(224, crop.width());
        Picture whole = e.render(RenderOptions.defaults().withGeometry(Geometry.ORIGINAL));
        assertEquals(451, whole.width());
        assertEquals(300, whole.height());
        Picture panel = e.render(RenderOptions.defaults().withKind(RenderKind.PANEL));
        assertEquals(3 * 224, panel.width());
        byte[] png = PictureEncoder.png(crop);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }
}
