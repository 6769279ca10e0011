package org.saliency4j;

/**
 * Process-wide libtorch settings, applied by {@link org.saliency4j.explain.Engine#configure}. They are not options
 * of a model: libtorch keeps one value for the whole process, shared by every model loaded in it.
 *
 * @param threads   libtorch's intra-op thread count, between 0 and {@link #maxThreads()}; 0 takes the measured
 *                  default: one thread on machines of up to {@value #SMALL_MACHINE_CORES} cores, else libtorch's
 *                  own count (its default when the process started). OpenBLAS's pool keeps its own size only with
 *                  0 here, one libtorch thread in effect and one pass thread; otherwise it is set to 1 (see
 *                  {@link org.saliency4j.explain.Engine#configure})
 * @param passThreads threads that run one call's independent passes at once (a method's batches of noisy copies,
 *                  path points, masks, windows or channels), each with {@code threads} intra-op threads; between 0
 *                  and {@link #maxThreads()}; 0 (the default) and 1 run every pass on the calling thread; a program
 *                  that runs many-pass methods (integrated gradients, noise tunnels, perturbations) with idle cores
 *                  sets their number, as {@code saliency4j explain} does for one worker on the CPU. With the same
 *                  {@code threads} and OpenBLAS pool, results are bit for bit the same for every count; memory holds
 *                  that many batches at once. A program whose own threads already fill the cores (several workers)
 *                  keeps 1
 * @param allowTf32 whether CUDA convolutions and matrix products may run in TF32: faster on Ampere and later, but
 *                  maps then differ from the CPU's in the third decimal; false keeps full fp32
 */
public record EngineSettings(int threads, int passThreads, boolean allowTf32) {
    /**
     * Measured on the project's 2-core machines (2026-11-26): DenseNet-201 explain took 250 ms with one thread
     * and 1060 ms with two; the demo model 3.5 ms against 112 ms. The second core is needed by the JVM and
     * the rest of the pipeline, and libtorch's worker synchronisation then dominates. On 16 cores libtorch's own
     * default (all cores) gave 150 ms.
     */
    public static final int SMALL_MACHINE_CORES = 2;
    /** Past the cores, more threads only wait on each other: a count above this is a mistake, not a tuning. */
    public static final int THREADS_PER_CORE = 4;

    /** @throws SaliencyException naming {@code threads} when the count is negative or above {@link #maxThreads()} */
    public EngineSettings {
        Vocabulary.THREADS.check(threads);
        Vocabulary.PASS_THREADS.check(passThreads);
    }

    /**
     * What the CLI and the service apply and what a library user should: the measured thread default, and full
     * fp32 on CUDA so that CUDA maps equal CPU maps.
     */
    public static EngineSettings recommended() {
        return new EngineSettings(Vocabulary.THREADS.defaultValue(), Vocabulary.PASS_THREADS.defaultValue(), false);
    }

    /** The largest thread count accepted: {@value #THREADS_PER_CORE} per available processor. */
    public static int maxThreads() {
        return THREADS_PER_CORE * Runtime.getRuntime().availableProcessors();
    }

    public EngineSettings withThreads(int value) {
        return new EngineSettings(value, passThreads, allowTf32);
    }

    public EngineSettings withAllowTf32(boolean value) {
        return new EngineSettings(threads, passThreads, value);
    }

    public EngineSettings withPassThreads(int value) {
        return new EngineSettings(threads, value, allowTf32);
    }

    /** The count {@link #passThreads} stands for: 0 is 1 (see {@link #passThreads}). */
    public int resolvedPassThreads() {
        return Math.max(1, passThreads);
    }

    /** The count {@link #threads} stands for on this machine; 0 when it leaves libtorch's own count. */
    public int resolvedThreads() {
        if (threads > 0) {
            return threads;
        }
        return Runtime.getRuntime().availableProcessors() <= SMALL_MACHINE_CORES ? 1 : 0;
    }
}
