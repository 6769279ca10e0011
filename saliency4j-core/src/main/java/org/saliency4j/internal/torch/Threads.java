package org.saliency4j.internal.torch;

import org.bytedeco.pytorch.global.torch;

/** libtorch's intra-op thread count, a process-wide setting. */
public final class Threads {
    /**
     * libtorch's own count, read when this class is first used (before saliency4j ever sets it), so that it can
     * be restored.
     */
    private static final int LIBTORCH_DEFAULT = torch.get_num_threads();

    private Threads() {
    }

    /** Sets the count; 0 restores libtorch's own default. */
    public static synchronized void set(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("a thread count must not be negative, got " + count);
        }
        torch.set_num_threads(count > 0 ? count : LIBTORCH_DEFAULT);
    }

    /** The count in effect. */
    public static int count() {
        return torch.get_num_threads();
    }
}
