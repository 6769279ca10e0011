package org.saliency4j;

import org.saliency4j.explain.ExplainRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The table of parameters: names once each, every default a value of its parameter, the library's factories
 * built from those defaults, and every error naming the parameter neutrally.
 */
class VocabularyTest {
    @Test
    void eachNameIsOneParameterAndEachDefaultIsAValueOfIt() {
        Set<String> names = new HashSet<>();
        for (Parameter<?> p : Vocabulary.all()) {
            assertTrue(names.add(p.name()), p.name() + " twice");
            assertTrue(p.name().matches("[a-z]+(-[a-z]+)*"), p.name() + " is not spelled as a flag is");
            assertTrue(!p.help().isBlank(), p.name() + " has no help");
            Object value = p.defaultValue();
            assertTrue(p.type().isInstance(value), p.name());
            assertEquals(value, p.parse(p.defaultText().orElseThrow()), p.name());
            assertTrue(p.helpWithDefault().endsWith("(default: " + p.shownDefault().orElseThrow() + ")."),
                    p.helpWithDefault());
        }
    }

    @Test
    void theLibrarysFactoriesTakeTheTablesDefaults() {
        ExplainRequest request = ExplainRequest.defaults();
        assertEquals(Target.top1(), request.target());
        assertEquals(Vocabulary.TARGET.defaultValue(), request.target());
        assertEquals(Vocabulary.SCORE.defaultValue(), request.score());
        assertEquals(Vocabulary.TOPK.defaultValue(), request.topK());
        assertEquals(Vocabulary.REDUCE.defaultValue(), request.reduction());
        assertEquals(Vocabulary.NORMALIZE.defaultValue(), request.normalization());
        assertNull(request.preprocessing(), "the model's own");
        assertEquals(Vocabulary.PREPROCESS.defaultValue(), Preprocessing.defaults().mode());
        assertEquals(Vocabulary.RESIZE.defaultValue(), Preprocessing.defaults().resize());
        assertEquals(Vocabulary.INPUT_SIZE.defaultValue(), Preprocessing.defaults().size());
        assertEquals(Vocabulary.BATCH.defaultValue(), ModelOptions.defaults().batch());

        RenderOptions render = RenderOptions.defaults();
        assertEquals(new RenderOptions(Vocabulary.RENDER.defaultValue(), Vocabulary.COLORMAP.defaultValue(),
                Vocabulary.ALPHA.defaultValue(), Vocabulary.VMIN.defaultValue(), Vocabulary.VMAX.defaultValue(),
                Vocabulary.MIX.defaultValue(), Vocabulary.GEOMETRY.defaultValue()), render);

        ModelOptions model = ModelOptions.defaults();
        assertEquals(Vocabulary.DEVICE.defaultValue(), model.device());
        assertEquals(Vocabulary.THREADS.defaultValue(), EngineSettings.recommended().threads());
        assertEquals(Vocabulary.WARMUP.defaultValue(), model.warmupRuns());
        assertEquals(0, model.inputSize(), "the model card's input size");
        assertEquals(Vocabulary.MAX_PIXELS.defaultValue(), model.limits().maxPixels());
    }

    @Test
    void unusableTextIsRefusedNamingTheParameter() {
        for (Parameter<?> p : Vocabulary.all()) {
            // No parameter reads an empty string: text parameters refuse it, the others find no value in it.
            assertNames(p.name(), () -> p.parse(" "));
            if (p != Vocabulary.DEVICE && p != Vocabulary.TARGET) {
                assertNames(p.name(), () -> p.parse("sideways"));
            }
        }
    }

    @Test
    void boundsAreCheckedOnTextAndOnValuesAlike() {
        assertProblem("must be between 8 and 4096, got 5", () -> Vocabulary.INPUT_SIZE.parse("5"));
        assertProblem("must be between 8 and 4096, got 5000", () -> Vocabulary.INPUT_SIZE.check(5000));
        // Beyond an int: refused as too large, not wrapped round into range.
        assertProblem("must be between 8 and 4096, got 4294967520", () -> Vocabulary.INPUT_SIZE.parse("4294967520"));
        assertProblem("not a whole number: '2.5'", () -> Vocabulary.TOPK.parse("2.5"));
        assertProblem("must be at least 1, got 0", () -> Vocabulary.TOPK.parse("0"));
        assertProblem("must be between 0 and " + EngineSettings.maxThreads() + ", got -1",
                () -> Vocabulary.THREADS.check(-1));
        assertProblem("must be between 0 and " + EngineSettings.maxThreads() + ", got " + (EngineSettings.maxThreads() + 1),
                () -> Vocabulary.THREADS.check(EngineSettings.maxThreads() + 1));
        assertProblem("must be at least 1, got 0", () -> Vocabulary.MAX_PIXELS.parse("0"));
        assertEquals(9_000_000_000L, Vocabulary.MAX_PIXELS.parse("9000000000"));
        assertProblem("must be in [0, 1], got 1.5", () -> Vocabulary.ALPHA.parse("1.5"));
        assertProblem("must be positive, got 0.0", () -> Vocabulary.MIX.parse("0"));
        assertProblem("not a number: 'NaN'", () -> Vocabulary.VMIN.parse("NaN"));
        assertProblem("not a number: 'Infinity'", () -> Vocabulary.ALPHA.parse("Infinity"));
        assertProblem("must be positive, got Infinity", () -> Vocabulary.MIX.check(Double.POSITIVE_INFINITY));
        assertEquals(0.25, Vocabulary.ALPHA.parse(" 0.25 "));
        assertEquals(Reduction.ABS_MAX, Vocabulary.REDUCE.parse("ABS-MAX"));
        assertEquals(Normalization.percentile(99), Vocabulary.NORMALIZE.parse("percentile:99"));
    }

    @Test
    void aFrontEndTightensABoundWithoutChangingTheTable() {
        Parameter<Integer> tighter = Vocabulary.TOPK.atMost(10);
        assertEquals(10, tighter.parse("10"));
        assertProblem("must be between 1 and 10, got 11", () -> tighter.parse("11"));
        assertEquals(11, Vocabulary.TOPK.parse("11"));
        assertEquals(Vocabulary.TOPK.defaultValue(), tighter.defaultValue());
    }

    @Test
    void theLibrarysConstructorsNameTheParameterTheyRefuse() {
        assertNames("topk", () -> ExplainRequest.defaults().withTopK(0));
        assertNames("alpha", () -> RenderOptions.defaults().withAlpha(-0.5));
        assertNames("mix", () -> RenderOptions.defaults().withMix(Double.POSITIVE_INFINITY));
        assertNames("vmin", () -> RenderOptions.defaults().withWindow(0.7, 0.3));
        assertNames("input-size", () -> ModelOptions.defaults().withInputSize(4));
        assertNames("input-size", () -> Preprocessing.torchvision().withSizes(9000, 5000));
        assertNames("resize", () -> Preprocessing.torchvision().withSizes(100, 224));
        assertNames("warmup", () -> ModelOptions.defaults().withWarmupRuns(-1));
        assertNames("device", () -> ModelOptions.defaults().withDevice(" "));
        assertNames("max-pixels", () -> new ImageLimits(1, 0));
        assertNames("preprocess", () -> Preprocessing.Mode.parse("squash"));
        assertNames("render", () -> RenderKind.parse("3d"));
        assertNames("colormap", () -> ColorMap.parse("sepia"));
        assertNames("geometry", () -> Geometry.parse("sideways"));
        assertNames("reduce", () -> Reduction.parse("median"));
    }

    private static void assertNames(String parameter, Executable call) {
        SaliencyException e = assertThrows(SaliencyException.class, call, parameter);
        assertEquals(SaliencyException.Kind.OPTION, e.kind(), e.getMessage());
        assertEquals(parameter, e.input(), e.getMessage());
    }

    private static void assertProblem(String problem, Executable call) {
        SaliencyException e = assertThrows(SaliencyException.class, call, problem);
        assertEquals(problem, e.problem());
        assertEquals(SaliencyException.Kind.OPTION, e.kind());
    }
}
