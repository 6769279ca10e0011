package org.saliency4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saliency4j.Cancellation;
import org.saliency4j.EngineSettings;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.internal.ParallelPasses;
import org.saliency4j.method.MethodParameters;
import org.saliency4j.method.MethodSettings;
import org.saliency4j.method.Methods;
import org.saliency4j.models.BuiltinModels;

/**
 * A method's passes spread over several threads give bit for bit the maps of one thread: inputs are built and
 * results combined on the calling thread in order, so random draws and sums do not depend on which thread ran a
 * pass. Every method whose passes come in parts is covered, at an execution batch that makes several parts.
 */
class ParallelPassesResultsTest {
    private static SaliencyModel model;

    @BeforeAll
    static void load() {
        model = SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults().withDevice("cpu"));
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
    void threePassThreadsGiveTheMapsOfOne() {
        List<ImageInput> images = List.of(ImageInput.picture("sample", BuiltinModels.demoSample().image()));
        MethodSettings settings = MethodSettings.defaults().with(MethodParameters.SAMPLES, 6)
                .with(MethodParameters.STEPS, 7).with(MethodParameters.MASKS, 20).with(MethodParameters.WINDOW, 24)
                .with(MethodParameters.STRIDE, 16);
        for (String spec : List.of("integrated-gradients", "smoothgrad", "vargrad:gradient-x-input",
                "smoothgrad:grad-cam", "rise", "occlusion", "score-cam", "ablation-cam",
                "smoothgrad:integrated-gradients", "smoothgrad:score-cam")) {
            ExplainRequest request = ExplainRequest.defaults().withPreprocessing(model.preprocessing())
                    .withMethod(model.withLayer(Methods.parse(spec, settings), model.info().inputSize()));
            Engine.configure(EngineSettings.recommended().withThreads(1).withPassThreads(1));
            float[] one = model.explainBatch(images, request, 2, Cancellation.NEVER).get(0).attribution().toArray();
            Engine.configure(EngineSettings.recommended().withThreads(1).withPassThreads(3));
            long helped = ParallelPasses.helperPasses();
            float[] three = model.explainBatch(images, request, 2, Cancellation.NEVER).get(0).attribution()
                    .toArray();
            assertArrayEquals(one, three, spec);
            assertTrue(ParallelPasses.helperPasses() > helped, spec + ": helper threads ran some of the passes");
        }
    }

    /** The configuration's automatic count is one thread: pass threads are asked for. */
    @Test
    void theAutomaticCountIsOneThread() {
        Engine.configure(EngineSettings.recommended());
        assertEquals(1, ParallelPasses.threads());
        Engine.configure(EngineSettings.recommended().withPassThreads(2));
        assertEquals(2, ParallelPasses.threads());
    }
}
