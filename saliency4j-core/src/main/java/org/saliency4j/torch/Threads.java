package org.saliency4j.torch;

import org.bytedeco.pytorch.global.torch;
import org.saliency4j.SaliencyException;

/** libtorch's intra-op thread count, a process-wide setting. */
public final class Threads {
    /**
     * Measured on the project's 2-core machines (2026-11-26): DenseNet-201 explain took 250 ms with one thread
     * and 1060 ms with two; the demo model 3.5 ms against 112 ms. The second core is needed by the JVM and
     * the rest of the pipeline, and libtorch's worker synchronisation then dominates. On 16 cores libtorch's own
     * default (all cores) gave 150 ms.
     */
    private static final int SMALL_MACHINE_CORES = 2;
    /** Past the cores, more threads only wait on each other: a count above this is a mistake, not a tuning. */
    private static final int THREADS_PER_CORE = 4;

    private Threads() {
    }

    /** The largest count accepted: {@value #THREADS_PER_CORE} per available processor. */
    public static int max() {
        return THREADS_PER_CORE * Runtime.getRuntime().availableProcessors();
    }

    /**
     * Sets the count; 0 applies the measured default: one thread on machines of up to two cores, else libtorch's.
     *
     * @throws SaliencyException naming {@code threads} when the count is negative or above {@link #max()}
     */
    public static void set(int threads) {
        if (threads < 0 || threads > max()) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, "threads",
                    "must be between 0 and " + max() + " (" + THREADS_PER_CORE + " per processor here), got " + threads);
        }
        if (threads > 0) {
            torch.set_num_threads(threads);
        } else if (Runtime.getRuntime().availableProcessors() <= SMALL_MACHINE_CORES) {
            torch.set_num_threads(1);
        }
    }
}
