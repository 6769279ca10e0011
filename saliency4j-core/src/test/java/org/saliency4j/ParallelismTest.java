package org.saliency4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The policy's choices for given machines, how options override it, and its bounds. */
class ParallelismTest {
    @Test
    void oneWorkerOfOneThreadPerCoreUpToTheWorkerCapThenMoreThreadsEach() {
        assertEquals(new Parallelism(1, 1), Parallelism.forCores(1));
        assertEquals(new Parallelism(2, 1), Parallelism.forCores(2));
        assertEquals(new Parallelism(4, 1), Parallelism.forCores(4));
        assertEquals(new Parallelism(8, 1), Parallelism.forCores(8));
        // Beyond the cap the cores go to threads, whole threads only: 12 cores give 8 x 1, 16 give 8 x 2.
        assertEquals(new Parallelism(8, 1), Parallelism.forCores(12));
        assertEquals(new Parallelism(8, 2), Parallelism.forCores(16));
        for (int cores = 1; cores <= 2 * Runtime.getRuntime().availableProcessors(); cores++) {
            Parallelism plan = Parallelism.forCores(cores);
            assertEquals(true, plan.workers() * plan.threads() <= cores, cores + " cores: " + plan);
            assertEquals(true, plan.workers() <= Parallelism.MAX_WORKERS, cores + " cores: " + plan);
        }
    }

    @Test
    void optionsGivenAreTakenAndTheOtherCountFillsTheCores() {
        assertEquals(new Parallelism(3, 2), Parallelism.resolve(3, 2, 16));
        assertEquals(new Parallelism(2, 1), Parallelism.resolve(2, 0, 2));
        assertEquals(new Parallelism(1, 2), Parallelism.resolve(1, 0, 2));
        assertEquals(new Parallelism(1, 2), Parallelism.resolve(0, 2, 2));
        assertEquals(new Parallelism(2, 1), Parallelism.resolve(0, 1, 2));
        // More workers than cores: each still has one thread.
        assertEquals(new Parallelism(4, 1), Parallelism.resolve(4, 0, 2));
        assertEquals(Parallelism.forCores(2), Parallelism.resolve(0, 0, 2));
    }

    @Test
    void eachWorkerHoldsFourImagesAndItsThreadsBoundBothPools() {
        assertEquals(12, new Parallelism(3, 1).inFlight());
        EngineSettings settings = new Parallelism(2, 1).engineSettings(EngineSettings.recommended(), 34);
        assertEquals(1, settings.threads(), "an explicit count, which bounds OpenBLAS's pool too");
        assertEquals(1, settings.passThreads(), "several workers fill the cores: one pass at a time each");
        assertEquals(EngineSettings.recommended().allowTf32(), settings.allowTf32());
        assertEquals("2x1", new Parallelism(2, 1).toString());
    }

    /** One worker spreads a many-pass method over the cores its threads leave; a one-pass method keeps one. */
    @Test
    void oneWorkerRunsAManyPassMethodsPassesOnTheCoresItsThreadsLeave() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, new Parallelism(1, 1).engineSettings(EngineSettings.recommended(), 34).passThreads());
        assertEquals(1, new Parallelism(1, 1).engineSettings(EngineSettings.recommended(), 1).passThreads());
        assertEquals(1, new Parallelism(1, cores).engineSettings(EngineSettings.recommended(), 34).passThreads());
    }

    @Test
    void countsOutOfBoundsAreRefusedNamingTheParameter() {
        assertEquals("workers", assertThrows(SaliencyException.class, () -> new Parallelism(0, 1)).input());
        assertEquals("threads", assertThrows(SaliencyException.class, () -> new Parallelism(1, 0)).input());
        assertEquals("workers", assertThrows(SaliencyException.class,
                () -> Parallelism.resolve(Parallelism.maxWorkers() + 1, 1, 2)).input());
        assertEquals("threads", assertThrows(SaliencyException.class,
                () -> Parallelism.resolve(1, -1, 2)).input());
    }

    @Test
    void theBatchDefaultDependsOnTheDevice() {
        assertEquals(0, ModelOptions.defaults().batch(), "0: the device's, resolved at load");
        assertEquals(ModelOptions.CPU_BATCH, ModelOptions.defaultBatch("cpu"));
        assertEquals(ModelOptions.CUDA_BATCH, ModelOptions.defaultBatch("cuda:0"));
        assertEquals(true, ModelOptions.CPU_BATCH < ModelOptions.CUDA_BATCH);
    }

    /** A pass-thread count past its bound is refused when the settings are made, naming it, before any thread starts. */
    @Test
    void aPassThreadCountPastItsBoundIsRefusedNamingIt() {
        assertEquals("pass-threads", assertThrows(SaliencyException.class,
                () -> EngineSettings.recommended().withPassThreads(EngineSettings.maxThreads() + 1)).input());
        assertEquals("pass-threads", assertThrows(SaliencyException.class,
                () -> EngineSettings.recommended().withPassThreads(-1)).input());
        assertEquals(EngineSettings.maxThreads(),
                EngineSettings.recommended().withPassThreads(EngineSettings.maxThreads()).passThreads());
    }
}
