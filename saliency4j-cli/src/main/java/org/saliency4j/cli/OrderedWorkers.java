package org.saliency4j.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.saliency4j.Parallelism;

/**
 * Runs one function over a list on several worker threads at once and hands the results to the calling thread in
 * the list's order, so that what a run prints and writes does not depend on which worker finished first. At most
 * {@link Parallelism#inFlight()} items are held at once (being worked on, or finished and waiting for their
 * turn): a folder of any size needs the memory of that many images, as one worker alone needed one.
 *
 * <p>The work must report its own failures in its result (a bad image fails only itself); anything it throws ends
 * the run, as it would have without workers.
 */
final class OrderedWorkers implements AutoCloseable {
    private final Parallelism plan;
    private final ExecutorService pool;

    /**
     * Starts {@code plan.workers()} threads that live until {@link #close()}: a caller that runs several lists (a
     * benchmark's passes) pays each thread's first libtorch call once, not once per list (measured: 15-30 ms a
     * thread on the demo model, a third of a 64-image pass on two workers).
     */
    OrderedWorkers(Parallelism plan) {
        this.plan = plan;
        this.pool = Executors.newFixedThreadPool(plan.workers(), new Named());
    }

    /** {@link #map} once, on workers started for it and stopped after it. */
    static <T, R> void run(List<T> items, Parallelism plan, Function<T, R> work, Consumer<R> consume) {
        try (OrderedWorkers workers = new OrderedWorkers(plan)) {
            workers.map(items, work, consume);
        }
    }

    /**
     * Applies {@code work} to each item on the workers and passes the results to {@code consume}, on this thread,
     * in the items' order.
     */
    <T, R> void map(List<T> items, Function<T, R> work, Consumer<R> consume) {
        Deque<Future<R>> pending = new ArrayDeque<>();
        try {
            for (T item : items) {
                if (pending.size() == plan.inFlight()) {
                    consume.accept(next(pending));
                }
                pending.add(pool.submit(() -> work.apply(item)));
            }
            while (!pending.isEmpty()) {
                consume.accept(next(pending));
            }
        } finally {
            pending.forEach(f -> f.cancel(true));
        }
    }

    /** Stops the workers, interrupting any still at work (left only by a run that ended by an error). */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** The oldest result, waited for. */
    private static <R> R next(Deque<Future<R>> pending) {
        Future<R> head = pending.removeFirst();
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a worker");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Worker threads named for thread dumps, and daemons: a run that ends by an error does not wait for workers
     * that are still in a libtorch call.
     */
    private static final class Named implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "saliency4j-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
