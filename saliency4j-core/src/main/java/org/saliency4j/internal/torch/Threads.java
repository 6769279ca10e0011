package org.saliency4j.internal.torch;

import org.bytedeco.openblas.global.openblas_full;
import org.bytedeco.pytorch.global.torch;

/**
 * libtorch's intra-op thread count, and OpenBLAS's, which libtorch's does not govern (libtorch's matrix products,
 * and its convolutions where oneDNN is off, run in OpenBLAS's own pool): process-wide settings. Which counts go
 * together is {@code org.saliency4j.explain.Engine#configure}'s to decide.
 */
public final class Threads {
    /**
     * libtorch's own count, read when this class is first used (before saliency4j ever sets it), so that it can
     * be restored.
     */
    private static final int LIBTORCH_DEFAULT = torch.get_num_threads();
    /** OpenBLAS's own count (all processors unless OPENBLAS_NUM_THREADS says otherwise), to restore it. */
    private static final int BLAS_DEFAULT = openblas_full.openblas_get_num_threads();

    private Threads() {
    }

    /** Sets the count; 0 restores libtorch's own default. */
    public static synchronized void set(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("a thread count must not be negative, got " + count);
        }
        torch.set_num_threads(count > 0 ? count : LIBTORCH_DEFAULT);
    }

    /** Sets OpenBLAS's count; 0 restores its own. */
    public static synchronized void setBlas(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("a thread count must not be negative, got " + count);
        }
        openblas_full.openblas_set_num_threads(count > 0 ? count : BLAS_DEFAULT);
    }

    /** OpenBLAS's own count, as it was before saliency4j set one. */
    public static int blasDefault() {
        return BLAS_DEFAULT;
    }

    /** OpenBLAS's count in effect. */
    public static int blasCount() {
        return openblas_full.openblas_get_num_threads();
    }

    /** The count in effect. */
    public static int count() {
        return torch.get_num_threads();
    }
}
