package org.saliency4j.server;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The bytes that decoding, explaining and rendering may hold at once, shared by every request of the process: a
 * request is admitted only when its weight fits beside those in flight, so concurrent large images wait (for a
 * bounded time) or are refused; the budget is never over-committed. Waiters are admitted first fit, in arrival
 * order among those that fit: a small image is never held behind a large one waiting for room it does not need
 * (a large one may then wait out its time under a steady stream of small ones, and gets its 503). Waiting holds
 * no thread: admission is a future.
 */
final class MemoryBudget {
    /** A share of the budget, given back once by {@link #close()}; closing again does nothing. */
    final class Permit implements AutoCloseable {
        private final long bytes;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Permit(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release(bytes);
            }
        }
    }

    private record Waiter(long bytes, CompletableFuture<Permit> admitted) {
    }

    private final long capacity;
    private final Scheduler scheduler;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private long used;

    MemoryBudget(long capacity, Scheduler scheduler) {
        this.capacity = capacity;
        this.scheduler = scheduler;
    }

    synchronized long used() {
        return used;
    }

    /**
     * A permit for {@code bytes}, at once when they fit, else when enough is released;
     * after {@code waitMs} the future fails with a 503. A request that could never fit fails at once with a 413.
     * Cancelling the future gives up the place in line; a permit it holds is the caller's to close.
     */
    CompletableFuture<Permit> acquire(long bytes, long waitMs, String what) {
        if (bytes > capacity) {
            return CompletableFuture.failedFuture(new HttpError(413, what + " needs about " + megabytes(bytes)
                    + " MB of memory, more than the service's memory budget of " + megabytes(capacity) + " MB"));
        }
        Waiter waiter = new Waiter(bytes, new CompletableFuture<>());
        synchronized (this) {
            if (used + bytes <= capacity) {
                used += bytes;
                waiter.admitted().complete(new Permit(bytes));
                return waiter.admitted();
            }
            waiters.add(waiter);
        }
        Scheduler.Task timeout = scheduler.schedule(() -> waiter.admitted().completeExceptionally(HttpError.busy(
                "the service's memory budget (" + megabytes(capacity) + " MB) is in use by other images; retry "
                        + "shortly")), waitMs, TimeUnit.MILLISECONDS);
        // However the wait ends without a permit (timeout, cancel), the waiter leaves the line and those behind
        // it may now fit. Admitted, it needs its timer no more.
        waiter.admitted().whenComplete((permit, failure) -> {
            timeout.cancel();
            if (failure != null) {
                synchronized (this) {
                    waiters.remove(waiter);
                }
                admitWaiters();
            }
        });
        return waiter.admitted();
    }

    private void release(long bytes) {
        synchronized (this) {
            used -= bytes;
        }
        admitWaiters();
    }

    /** Admits, in arrival order, every waiter that fits. Futures complete outside the lock. */
    private void admitWaiters() {
        ArrayDeque<Waiter> admitted = new ArrayDeque<>();
        synchronized (this) {
            Iterator<Waiter> line = waiters.iterator();
            while (line.hasNext()) {
                Waiter waiter = line.next();
                if (waiter.admitted().isDone()) {
                    line.remove();
                    continue;
                }
                if (used + waiter.bytes() <= capacity) {
                    used += waiter.bytes();
                    line.remove();
                    admitted.add(waiter);
                }
            }
        }
        for (Waiter waiter : admitted) {
            Permit permit = new Permit(waiter.bytes());
            if (!waiter.admitted().complete(permit)) {
                permit.close();
            }
        }
    }

    private static long megabytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
