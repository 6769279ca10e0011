package org.saliency4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.saliency4j.Baseline;
import org.saliency4j.Cancellation;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.Prediction;
import org.saliency4j.Preprocessing;
import org.saliency4j.SaliencyException;
import org.saliency4j.Target;
import org.saliency4j.internal.image.TestImages;
import org.saliency4j.internal.torch.TestModels;
import org.saliency4j.method.IntegratedGradients;
import org.saliency4j.method.Method;
import org.saliency4j.method.Quadrature;

/** The methods through libtorch on real models: closed forms on a linear model, completeness on a ReLU conv net. */
class MethodsEndToEndTest {
    private static final int SIZE = 32;
    private static final Preprocessing SMALL = new Preprocessing(Preprocessing.Mode.TORCHVISION, 40, SIZE,
            Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD);

    @TempDir
    static Path dir;
    static TestModels.Linear linear;
    static SaliencyModel linearModel;
    static SaliencyModel convModel;
    static byte[] png;

    @BeforeAll
    static void load() {
        linear = TestModels.linear(dir.resolve("linear.pt"), 4, SIZE, 5);
        linearModel = SaliencyModel.load(dir.resolve("linear.pt"), ModelOptions.defaults().withDevice("cpu").withInputSize(SIZE));
        TestModels.convNet(dir.resolve("conv.pt"), 8, 4, 6);
        convModel = SaliencyModel.load(dir.resolve("conv.pt"), ModelOptions.defaults().withDevice("cpu").withInputSize(SIZE));
        png = TestImages.encode(TestImages.pattern(50, 45, 2), ".png");
    }

    @AfterAll
    static void close() {
        linearModel.close();
        convModel.close();
    }

    @Test
    void gradientTimesInputOfALinearModelIsWeightTimesInput() {
        Explanation e = explain(linearModel, Method.gradientXInput(), 2);
        float[] x = e.input().toArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(linear.weight()[2 * linear.inputs() + i] * x[i], e.attribution().at(i), 1e-7);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zero", "black", "blur", "uniform"})
    void integratedGradientsAreComplete(String baseline) {
        Method ig = Method.integratedGradients(128, Baseline.parse(baseline));
        Explanation e = explain(convModel, ig, 1);
        double sum = 0;
        for (float v : e.attribution().toArray()) {
            sum += v;
        }
        double difference = sum - e.convergenceDelta();   // f(input) - f(baseline)
        assertTrue(Math.abs(difference) > 1e-3, "the baseline scores differently: " + difference);
        assertTrue(Math.abs(e.convergenceDelta()) <= 0.05 * Math.abs(difference),
                "delta " + e.convergenceDelta() + " against " + difference);
        assertEquals(128, e.integrationSteps());
    }

    /** Automatic steps through the whole pipeline: the delta they settle on is within the tolerance asked. */
    @Test
    void automaticStepsReachTheirToleranceOnAModel() {
        Method ig = new IntegratedGradients(IntegratedGradients.AUTO_STEPS, Baseline.zero(), Quadrature.MIDPOINT,
                0.01, 1024);
        Explanation e = explain(convModel, ig, 1);
        double sum = 0;
        for (float v : e.attribution().toArray()) {
            sum += v;
        }
        double difference = sum - e.convergenceDelta();
        assertTrue(e.integrationSteps() >= 16 && e.integrationSteps() <= 1024, "steps " + e.integrationSteps());
        assertTrue(e.integrationSteps() == 1024 || Math.abs(e.convergenceDelta()) <= 0.01 * Math.abs(difference),
                "delta " + e.convergenceDelta() + " against " + difference + " at " + e.integrationSteps());
    }

    @Test
    void aFileBaselineIsPreprocessedLikeTheInput() throws Exception {
        Path file = Files.write(dir.resolve("baseline.png"), png);
        Method fromItself = Method.integratedGradients(64, Baseline.parse(file.toString()));
        Explanation e = explain(convModel, fromItself, 1);
        for (float v : e.attribution().toArray()) {
            assertEquals(0f, Math.abs(v), "x - x' is zero when the baseline is the image itself");
        }
        Method missing = Method.integratedGradients(64, Baseline.parse(dir.resolve("absent.png").toString()));
        SaliencyException error = assertThrows(SaliencyException.class, () -> explain(convModel, missing, 1));
        assertTrue(error.getMessage().contains("absent.png: no such file"), error.getMessage());
    }

    @Test
    void smoothGradWithOneNoiselessSampleIsVanilla() {
        Explanation vanilla = explain(convModel, Method.vanilla(), 3);
        Explanation smooth = explain(convModel, Method.smoothGrad(Method.vanilla(), 1).withNoise(0), 3);
        assertArrayEquals(vanilla.attribution().toArray(), smooth.attribution().toArray(), 1e-9f);
        assertArrayEquals(vanilla.map().toArray(), smooth.map().toArray(), 1e-6f);
    }

    @Test
    void smoothGradIsTheSameForAnyBatchAndSeedReproduces() {
        Method smooth = Method.smoothGrad(Method.vanilla(), 12).withNoise(0.2).withSeed(4);
        float[] one = explain(convModel, smooth, 0, 1).attribution().toArray();
        float[] five = explain(convModel, smooth, 0, 5).attribution().toArray();
        assertArrayEquals(one, five, 1e-6f);
    }

    @Test
    void severalTargetsShareOnePassAndEqualOneByOne() {
        ExplainRequest request = ExplainRequest.defaults().withPreprocessing(SMALL).withMethod(Method.vanilla());
        List<Target> targets = Target.parseAll("top2,3,rank4");
        List<Explanation> together;
        try (SaliencyModel twoAtOnce = SaliencyModel.load(dir.resolve("conv.pt"), ModelOptions.defaults()
                .withDevice("cpu").withInputSize(SIZE).withBatch(2))) {
            together = twoAtOnce.explainTargets(ImageInput.bytes("p.png", png), request, targets);
        }
        assertEquals(4, together.size());
        List<Prediction> ranking = together.get(0).predictions();
        assertEquals(ranking.get(0).index(), together.get(0).target().index());
        assertEquals(ranking.get(1).index(), together.get(1).target().index());
        assertEquals(3, together.get(2).target().index());
        for (Explanation e : together) {
            Explanation alone = explain(convModel, Method.vanilla(), e.target().index());
            assertArrayEquals(alone.gradient().toArray(), e.gradient().toArray(), 1e-6f);
            assertEquals(alone.target().value(), e.target().value(), 1e-6f);
        }
    }

    @Test
    void targetListsParse() {
        assertEquals(List.of(Target.ranked(1), Target.ranked(2), Target.ranked(3)), Target.parseAll("top3"));
        assertEquals(List.of(Target.index(291), Target.named("tabby"), Target.ranked(2)),
                Target.parseAll("291, tabby ,rank2"));
        assertThrows(SaliencyException.class, () -> Target.parseAll("top0"));
        assertThrows(SaliencyException.class, () -> Target.parseAll("top65"));
        assertThrows(SaliencyException.class, () -> Target.parseAll("1,,2"));
    }

    private static Explanation explain(SaliencyModel model, Method method, int target) {
        return model.explain(ImageInput.bytes("p.png", png), request(method, target));
    }

    /** With {@code batch} inputs through the model at once. */
    private static Explanation explain(SaliencyModel model, Method method, int target, int batch) {
        return model.explainBatch(List.of(ImageInput.bytes("p.png", png)), request(method, target), batch,
                Cancellation.NEVER).get(0);
    }

    private static ExplainRequest request(Method method, int target) {
        return ExplainRequest.defaults().withPreprocessing(SMALL).withMethod(method).withTarget(Target.index(target));
    }
}
