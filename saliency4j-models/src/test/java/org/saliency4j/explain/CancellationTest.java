package org.saliency4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saliency4j.Baseline;
import org.saliency4j.Cancellation;
import org.saliency4j.EngineSettings;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.method.MethodParameters;
import org.saliency4j.method.MethodSettings;
import org.saliency4j.method.Methods;
import org.saliency4j.models.BuiltinModels;

/** A cancellation stops {@link SaliencyModel#explainBatch} before the next pass, on the demo model. */
class CancellationTest {
    private static SaliencyModel model;
    private static List<ImageInput> images;

    @BeforeAll
    static void load() {
        model = SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults().withDevice("cpu"));
        images = List.of(ImageInput.picture("sample", BuiltinModels.demoSample().image()));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @AfterEach
    void recommendedAgain() {
        Engine.configure(EngineSettings.recommended());
    }

    @Test
    void everyPassIsPrecededByACheckAndAnUncancelledCallChangesNothing() {
        // The first pass, then 16 noisy copies 4 at a time: 5 passes; 16 steps 4 at a time and both ends: 6.
        for (Object[] c : new Object[][]{{"smoothgrad", 5}, {"integrated-gradients", 6}, {"smoothgrad:grad-cam", 5},
                {"grad-cam", 1}}) {
            ExplainRequest request = request((String) c[0]);
            AtomicInteger checks = new AtomicInteger();
            Explanation watched = model.explainBatch(images, request, 4, () -> {
                checks.incrementAndGet();
                return false;
            }).get(0);
            assertEquals((int) c[1], checks.get(), (String) c[0]);
            assertArrayEquals(model.explainBatch(images, request, 4, Cancellation.NEVER).get(0).attribution().toArray(),
                    watched.attribution().toArray(), (String) c[0]);
        }
    }

    @Test
    void aCancelledCallStopsAtTheNextPass() {
        Engine.configure(EngineSettings.recommended().withPassThreads(1));
        for (String spec : List.of("smoothgrad", "integrated-gradients", "smoothgrad:grad-cam")) {
            AtomicInteger checks = new AtomicInteger();
            assertThrows(CancellationException.class,
                    () -> model.explainBatch(images, request(spec), 4, () -> checks.incrementAndGet() > 3), spec);
            assertEquals(4, checks.get(), spec + ": three passes made, the fourth refused");
        }
    }

    /** With passes on two threads, each thread stops at its next pass: at most one check more than on one. */
    @Test
    void aCancelledCallWithTwoPassThreadsStopsAtEachThreadsNextPass() {
        Engine.configure(EngineSettings.recommended().withThreads(1).withPassThreads(2));
        for (String spec : List.of("smoothgrad", "integrated-gradients", "smoothgrad:grad-cam")) {
            AtomicInteger checks = new AtomicInteger();
            assertThrows(CancellationException.class,
                    () -> model.explainBatch(images, request(spec), 2, () -> checks.incrementAndGet() > 3), spec);
            assertTrue(checks.get() == 4 || checks.get() == 5, spec + ": checks " + checks.get());
        }
    }

    private static ExplainRequest request(String spec) {
        return ExplainRequest.defaults().withPreprocessing(model.preprocessing())
                .withMethod(model.withLayer(Methods.parse(spec, MethodSettings.defaults()
                        .with(MethodParameters.SAMPLES, 16).with(MethodParameters.STEPS, 16)), model.info().inputSize()));
    }
}
