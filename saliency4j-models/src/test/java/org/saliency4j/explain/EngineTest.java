package org.saliency4j.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.saliency4j.EngineSettings;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.internal.torch.Threads;
import org.saliency4j.models.BuiltinModels;

/**
 * libtorch's process-wide settings change only through {@link Engine#configure}: loading a model leaves them as
 * they were, and the configuration applies what it says, within bounds.
 */
class EngineTest {
    @AfterEach
    void restoreTheRecommendedSettings() {
        Engine.configure(EngineSettings.recommended());
    }

    @Test
    void loadingAModelLeavesTorchsThreadCountAsItWas() {
        for (int count : new int[]{2, 3}) {
            Engine.configure(EngineSettings.recommended().withThreads(count));
            try (SaliencyModel model = SaliencyModel.load(BuiltinModels.demoFile(),
                    ModelOptions.defaults().withDevice("cpu").withWarmupRuns(1))) {
                assertEquals(count, Threads.count(), "after loading");
                model.explain(ImageInput.picture("sample", BuiltinModels.demoSample().image()),
                        ExplainRequest.defaults());
                assertEquals(count, Threads.count(), "after explaining");
            }
        }
    }

    @Test
    void theConfigurationAppliesItsThreadCountAndIsIdempotent() {
        Engine.configure(EngineSettings.recommended().withThreads(3));
        assertEquals(3, Threads.count());
        Engine.configure(EngineSettings.recommended().withThreads(1));
        Engine.configure(EngineSettings.recommended().withThreads(1));
        assertEquals(1, Threads.count());
    }

    /**
     * OpenBLAS's pool and libtorch's are never both above one thread (together they spin against each other: ten
     * times slower, measured); OpenBLAS keeps its own pool only as the sole helper of one libtorch thread that runs
     * one pass at a time, and gets it back when the settings return there.
     */
    @Test
    void openBlasKeepsItsOwnPoolOnlyBesideOneThreadRunningOnePassAtATime() {
        Engine.configure(EngineSettings.recommended().withThreads(2).withPassThreads(1));
        assertEquals(2, Threads.count());
        assertEquals(1, Threads.blasCount(), "beside libtorch's pool of 2");
        Engine.configure(EngineSettings.recommended().withThreads(1).withPassThreads(2));
        assertEquals(1, Threads.blasCount(), "beside a second pass thread");
        Engine.configure(EngineSettings.recommended().withThreads(1).withPassThreads(1));
        assertEquals(1, Threads.blasCount(), "a count given: one core");
        Engine.configure(EngineSettings.recommended());
        assertEquals(Threads.count() == 1 ? Threads.blasDefault() : 1, Threads.blasCount(), "the automatic count");
    }

    @Test
    void theRecommendedCountIsOneThreadOnSmallMachinesAndLibtorchsOwnElsewhere() throws Exception {
        Engine.configure(EngineSettings.recommended().withThreads(3));
        Engine.configure(EngineSettings.recommended());
        int cores = Runtime.getRuntime().availableProcessors();
        if (cores <= EngineSettings.SMALL_MACHINE_CORES) {
            assertEquals(1, Threads.count());
        } else {
            // libtorch's own default is one thread per physical core: never 3 set before, at most the processors.
            assertTrue(Threads.count() >= 1 && Threads.count() <= cores, "threads " + Threads.count());
        }
    }

    @Test
    void concurrentConfigurationsLeaveOneOfTheRequestedCounts() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int count = 1 + i % 2;
                calls.add(pool.submit(() -> Engine.configure(EngineSettings.recommended().withThreads(count))));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(Threads.count() == 1 || Threads.count() == 2, "threads " + Threads.count());
    }

    @Test
    void threadCountsOutsideTheBoundsAreRefusedNamingThreads() {
        int max = EngineSettings.maxThreads();
        assertEquals(EngineSettings.THREADS_PER_CORE * Runtime.getRuntime().availableProcessors(), max);
        for (int bad : new int[]{-1, max + 1}) {
            SaliencyException e = assertThrows(SaliencyException.class,
                    () -> EngineSettings.recommended().withThreads(bad));
            assertEquals(SaliencyException.Kind.OPTION, e.kind());
            assertEquals("threads", e.input());
            assertFalse(e.getMessage().contains("--"), e.getMessage());
        }
        assertEquals(max, EngineSettings.recommended().withThreads(max).threads());
        assertThrows(IllegalArgumentException.class, () -> Engine.configure(null));
    }

    @Test
    void theRecommendationKeepsFullFp32OnCuda() {
        assertFalse(EngineSettings.recommended().allowTf32());
        assertEquals(0, EngineSettings.recommended().threads());
    }
}
