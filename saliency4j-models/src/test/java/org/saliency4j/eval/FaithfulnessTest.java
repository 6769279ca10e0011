package org.saliency4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.Baseline;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.Picture;
import org.saliency4j.SaliencyException;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.method.Method;
import org.saliency4j.models.BuiltinModels;
import org.saliency4j.models.ShapesTask;

/** The whole evaluation of an image, on the linear model written by the test and on the demo task. */
class FaithfulnessTest {
    private static final int SIZE = 8;

    @TempDir
    static Path dir;
    private static SaliencyModel linear;

    @BeforeAll
    static void load() {
        LinearModel.write(dir.resolve("linear.pt"), SIZE, 4);
        linear = SaliencyModel.load(dir.resolve("linear.pt"), ModelOptions.defaults().withDevice("cpu")
                .withInputSize(SIZE).withWarmupRuns(0));
    }

    @AfterAll
    static void close() {
        linear.close();
    }

    private static ImageInput picture(String name, long seed) {
        byte[] rgb = new byte[3 * 40 * 30];
        new Random(seed).nextBytes(rgb);
        return ImageInput.picture(name, new Picture(40, 30, rgb));
    }

    private static Faithfulness.Settings settings(long seed) {
        return new Faithfulness.Settings(5, Baseline.zero(), Baseline.parse("blur"), 0.1, 16, true, seed);
    }

    @Test
    void aLinearModelsGradientHasNoInfidelityAndTheReferenceMapsSome() {
        Faithfulness faithfulness = new Faithfulness(linear, List.of(Method.vanilla(), Method.gradientXInput()),
                settings(1));
        List<Faithfulness.Row> rows = faithfulness.evaluate(picture("a.png", 1), 0);
        assertEquals(List.of("vanilla", "gradient-x-input", Faithfulness.RANDOM, Faithfulness.EDGES),
                rows.stream().map(Faithfulness.Row::method).toList());
        rows.forEach(r -> assertTrue(r.ok(), r.error()));
        double exact = rows.get(0).infidelity();
        double random = rows.get(2).infidelity();
        assertTrue(exact < 1e-6 * random, exact + " against the random map's " + random);
        assertTrue(rows.get(1).infidelity() > 1e-3 * random, "gradient x input is not the linear model's gradient");
        Faithfulness.Row vanilla = rows.get(0);
        assertEquals(1 - vanilla.target(), vanilla.otherClass(), "two classes: the other is the other");
        assertEquals(1.0, vanilla.randomLogit(), 1e-12, "w and -w have the same absolute map");
        assertEquals(1, vanilla.passes());
        assertEquals(PixelCurves.points(SIZE * SIZE, 5), vanilla.curves().deletion().scores().length);
        assertNull(vanilla.pointingHit(), "no box off the demo task");
        assertTrue(Double.isNaN(rows.get(3).randomLogit()));
        assertEquals(0, rows.get(3).passes());
    }

    @Test
    void seedsMakeRunsRepeatAndImagesDiffer() {
        Faithfulness faithfulness = new Faithfulness(linear, List.of(Method.smoothGrad(Method.vanilla(), 4)),
                settings(3));
        List<Faithfulness.Row> first = faithfulness.evaluate(picture("a.png", 2), 5);
        List<Faithfulness.Row> again = faithfulness.evaluate(picture("a.png", 2), 5);
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i).curves(), again.get(i).curves());
            assertEquals(first.get(i).infidelity(), again.get(i).infidelity());
        }
        List<Faithfulness.Row> next = faithfulness.evaluate(picture("a.png", 2), 6);
        assertFalse(first.get(1).curves().equals(next.get(1).curves()), "another index draws another random map");
    }

    @Test
    void aBadImageFailsAloneAndABadStepBeforeAnyWork() {
        Faithfulness faithfulness = new Faithfulness(linear, List.of(Method.vanilla()), settings(0));
        SaliencyException bad = assertThrows(SaliencyException.class,
                () -> faithfulness.evaluate(ImageInput.bytes("bad.png", new byte[]{1, 2, 3}), 0));
        assertTrue(bad.getMessage().contains("bad.png"), bad.getMessage());
        assertTrue(faithfulness.evaluate(picture("good.png", 3), 1).get(0).ok());
        SaliencyException step = assertThrows(SaliencyException.class, () -> new Faithfulness.Settings(-1,
                Baseline.zero(), Baseline.zero(), 0.1, 1, true, 0));
        assertEquals("step", step.input());
    }

    @Test
    void aMethodThatCannotRunFailsItsOwnRow() {
        // The linear model has no spatial layer for Grad-CAM.
        Faithfulness faithfulness = new Faithfulness(linear, List.of(Method.gradCam(), Method.vanilla()), settings(0));
        List<Faithfulness.Row> rows = faithfulness.evaluate(picture("a.png", 1), 0);
        assertFalse(rows.get(0).ok());
        assertNotNull(rows.get(0).error());
        assertTrue(rows.get(1).ok());
    }

    @Test
    void onTheDemoTaskMostRelevantFirstBeatsLeastRelevantFirstAndMapsPointAtTheShape() {
        try (SaliencyModel demo = SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults()
                .withDevice("cpu").withWarmupRuns(0))) {
            Faithfulness faithfulness = new Faithfulness(demo, List.of(Method.gradientXInput(), Method.gradCam()),
                    new Faithfulness.Settings(256, Baseline.zero(), Baseline.parse("blur"), 0.1, 8, true, 7));
            ShapesTask task = new ShapesTask(7);
            FaithfulnessSummary summary = new FaithfulnessSummary();
            for (int i = 0; i < 3; i++) {
                faithfulness.evaluate(task.sample(i), i).forEach(summary::add);
            }
            List<FaithfulnessSummary.Line> lines = summary.lines();
            assertEquals(List.of("gradient-x-input", "grad-cam", Faithfulness.RANDOM, Faithfulness.EDGES),
                    lines.stream().map(FaithfulnessSummary.Line::method).toList());
            // Not "beats the random map": deleting random pixels to the mean colour destroys this model's evidence
            // faster than Grad-CAM's blocky order does, a known weakness of pixel deletion the reference rows show.
            for (FaithfulnessSummary.Line line : lines.subList(0, 2)) {
                assertEquals(3, line.images());
                assertEquals(0, line.failures());
                assertTrue(line.deletion() < line.deletionLerf(), line.toString());
                assertTrue(line.insertion() > line.insertionLerf(), line.toString());
                assertTrue(line.pointingGame() >= 2 / 3.0, line.toString());
                assertFalse(Double.isNaN(line.randomLogit()));
            }
            assertTrue(Double.isNaN(lines.get(2).randomLogit()));
        }
    }
}
