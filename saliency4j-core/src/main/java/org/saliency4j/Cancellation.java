package org.saliency4j;

import java.util.concurrent.CancellationException;

/**
 * Asks long work to stop. The model checks it before each forward and backward pass (the first one, every noisy
 * copy's, every integration step's), so work stops within one pass of being cancelled, on any thread, without
 * interrupts (which native code does not see).
 */
@FunctionalInterface
public interface Cancellation {
    /** Work that nobody cancels. */
    Cancellation NEVER = () -> false;

    boolean isCancelled();

    /** @throws CancellationException when the work has been cancelled */
    default void check() {
        if (isCancelled()) {
            throw new CancellationException("the explanation was cancelled");
        }
    }
}
