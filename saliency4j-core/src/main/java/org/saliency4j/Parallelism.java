package org.saliency4j;

/**
 * How a CPU run over many independent images (a folder, a benchmark) uses the machine: {@code workers} threads,
 * each explaining its own image with one shared {@link org.saliency4j.explain.SaliencyModel} at the same time, and
 * libtorch's intra-op {@code threads} inside each of their calls, so that workers x threads cores are busy.
 *
 * <p>The policy ({@link #forCores}) prefers workers to intra-op threads, as measured on the project's 2-core
 * machines: at batch 1 the layers of an image are too small to split well over threads (libtorch's and OpenBLAS's
 * pools synchronise at every operator), while independent images need no synchronisation at all. Two workers of
 * one thread ran the demo model at about twice one worker's rate; one worker of two threads was slower than one
 * of one. Each worker holds one image's activations (and a run keeps at most {@link #inFlight()} images in
 * memory), so past {@value #MAX_WORKERS} workers the policy grows the threads per worker instead: memory stays
 * that of {@value #MAX_WORKERS} images however many cores there are.
 *
 * @param workers images explained at once, at least 1
 * @param threads libtorch's intra-op threads within each worker's call, at least 1
 */
public record Parallelism(int workers, int threads) {
    /** The most workers the policy chooses; a run may ask for more, up to {@link #maxWorkers()}. */
    public static final int MAX_WORKERS = 8;
    /**
     * Images a run keeps per worker: the one being explained and up to three finished, waiting for their turn. The
     * main thread writes each output whole (fsync, then rename), and a write that takes long must not stop the
     * workers: measured on 2 cores, `explain` on 12,000 demo images ran 1.68-1.72x its one-core figure with 2 per
     * worker and 1.95-2.03x with 4 (2026-12-02).
     */
    public static final int IN_FLIGHT_PER_WORKER = 4;

    /**
     * Workers a run may ask for: as threads, at most {@value EngineSettings#THREADS_PER_CORE} per processor
     * (past that, workers only wait on each other). 0 lets {@link #resolve} choose.
     */
    public static final Parameter<Integer> WORKERS = Parameter.integer("workers", 0, maxWorkers())
            .withDefault("0")
            .withHelp("Images explained at once on CPU, each by its own thread; 0: one per core, up to "
                    + MAX_WORKERS + " (then more threads per worker)");

    /** @throws SaliencyException naming {@code workers} or {@code threads} when a count is out of bounds */
    public Parallelism {
        if (workers < 1) {
            throw WORKERS.invalid("must be at least 1, got " + workers);
        }
        WORKERS.check(workers);
        if (threads < 1) {
            throw Vocabulary.THREADS.invalid("must be at least 1, got " + threads);
        }
        Vocabulary.THREADS.check(threads);
    }

    /** The largest worker count accepted: {@value EngineSettings#THREADS_PER_CORE} per available processor. */
    public static int maxWorkers() {
        return EngineSettings.maxThreads();
    }

    /**
     * The measured policy for a machine of {@code cores} processors: one worker of one thread per core up to
     * {@value #MAX_WORKERS} cores; beyond, {@value #MAX_WORKERS} workers sharing the cores as intra-op threads
     * (16 cores: 8 x 2; 64 cores: 8 x 8).
     */
    public static Parallelism forCores(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("a machine has at least one core, got " + cores);
        }
        int workers = Math.min(cores, MAX_WORKERS);
        return new Parallelism(workers, cores / workers);
    }

    /**
     * The run's counts from its options, 0 meaning "choose": both given are taken as they are; one given, the
     * other fills the cores ({@code workers} = cores / threads, or threads = cores / workers, at least 1); none
     * given, {@link #forCores}.
     */
    public static Parallelism resolve(int workers, int threads, int cores) {
        WORKERS.check(workers);
        Vocabulary.THREADS.check(threads);
        if (workers > 0 && threads > 0) {
            return new Parallelism(workers, threads);
        }
        if (workers > 0) {
            return new Parallelism(workers, Math.max(1, cores / workers));
        }
        if (threads > 0) {
            return new Parallelism(Math.max(1, Math.min(MAX_WORKERS, cores / threads)), threads);
        }
        return forCores(cores);
    }

    /** {@link #resolve} on this machine's available processors. */
    public static Parallelism resolve(int workers, int threads) {
        return resolve(workers, threads, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The engine settings this plan runs under: {@code base} with its thread count (OpenBLAS's pool then 1). Several
     * workers already fill the cores; one worker whose images each take {@code passesPerImage} passes spreads a
     * method's passes over the cores its intra-op threads leave (measured on 2 cores: integrated gradients and
     * SmoothGrad 1.28-1.56x faster), and a one-pass method keeps one.
     */
    public EngineSettings engineSettings(EngineSettings base, long passesPerImage) {
        int spare = Runtime.getRuntime().availableProcessors() / threads;
        return base.withThreads(threads).withPassThreads(workers == 1 && passesPerImage > 1 ? Math.max(1, spare) : 1);
    }

    /** The most images a run holds at once: {@value #IN_FLIGHT_PER_WORKER} per worker. */
    public int inFlight() {
        return IN_FLIGHT_PER_WORKER * workers;
    }

    /** As the benchmark and the help print it: {@code 2x1} for two workers of one thread. */
    @Override
    public String toString() {
        return workers + "x" + threads;
    }
}
