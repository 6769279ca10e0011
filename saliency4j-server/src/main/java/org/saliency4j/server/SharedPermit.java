package org.saliency4j.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A memory permit held by more than one party: the request, until its answer is sent, and the batcher, while a
 * queued or running job holds the request's image (which outlives the answer when the request timed out). The
 * permit goes back to the budget when the last holder lets go.
 */
final class SharedPermit {
    private final AtomicInteger holders = new AtomicInteger(1);
    private final MemoryBudget.Permit permit;

    /** Held by its first party from the start. */
    SharedPermit(MemoryBudget.Permit permit) {
        this.permit = permit;
    }

    /** One more party holds it; it must {@link #release()} once. */
    void hold() {
        holders.incrementAndGet();
    }

    void release() {
        if (holders.decrementAndGet() == 0) {
            permit.close();
        }
    }
}
