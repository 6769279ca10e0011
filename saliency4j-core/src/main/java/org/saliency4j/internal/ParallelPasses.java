package org.saliency4j.internal;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs the independent passes of one call (a method's batches of noisy copies, path points, masks, windows or
 * channels) on several cores at once: the calling thread takes passes one after another, and helper threads that
 * are idle take passes beside it. Why threads and not libtorch's intra-op pool: independent passes need no
 * synchronisation, while libtorch's pool synchronises at every operator (measured on 2 cores, 2026-12-02: integrated
 * gradients with 32 steps on MobileNetV3 ran slower with two intra-op threads than with one, at every batch).
 *
 * <p>A helper is used only when one is idle at that moment (the pool hands work over, it never queues it), so a
 * process whose cores are already busy with other calls runs each call on its own thread, as before. The pool has
 * {@code threads - 1} helpers, set by {@link #configure} ({@code org.saliency4j.explain.Engine#configure} calls it);
 * until then there are none.
 *
 * <p>Not API. Each pass runs on whichever thread takes it, so a pass must not depend on its thread's state.
 */
public final class ParallelPasses {
    private static final AtomicInteger HELPER_NAMES = new AtomicInteger();
    /** Whether this thread is running a pass: a call made inside one (a noise tunnel's copy) runs its own inline. */
    private static final ThreadLocal<Boolean> IN_PASS = ThreadLocal.withInitial(() -> false);
    private static final AtomicLong HELPER_PASSES = new AtomicLong();
    private static volatile Pool pool = new Pool(1, 1);

    private ParallelPasses() {
    }

    /**
     * Passes that may run at once: {@code threads} (the caller and {@code threads - 1} helpers); 1 runs every pass
     * on the calling thread. {@code intraOpThreads} is libtorch's count in effect: each thread takes it at its first
     * libtorch call and keeps it, so helpers are started anew when it changes. Calls already running finish on the
     * pool they started with.
     */
    public static synchronized void configure(int threads, int intraOpThreads) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one thread runs the passes, got " + threads);
        }
        if (threads != pool.threads || intraOpThreads != pool.intraOpThreads) {
            Pool old = pool;
            pool = new Pool(threads, intraOpThreads);
            old.close();
        }
    }

    /** Passes that may run at once, as {@link #configure} set them; 1 inside a pass (a nested call runs inline). */
    public static int threads() {
        return IN_PASS.get() ? 1 : pool.threads;
    }

    /** Passes helper threads have run since the process started: what a test counts to see them used. */
    public static long helperPasses() {
        return HELPER_PASSES.get();
    }

    /**
     * {@code pass} applied to every input, at most {@link #threads()} at once, the results in the inputs' order.
     * Returns when all have run; the first failure is rethrown after the passes already running have ended, and
     * passes not yet started are skipped.
     */
    public static <P, R> List<R> map(List<P> inputs, Function<P, R> pass) {
        Pool current = pool;
        if (inputs.size() < 2 || current.threads < 2 || IN_PASS.get()) {
            return inputs.stream().map(pass).toList();
        }
        Run<P, R> run = new Run<>(inputs, pass);
        for (int i = 1; i < Math.min(inputs.size(), current.threads); i++) {
            if (!current.offer(() -> run.take(true))) {
                break;
            }
        }
        run.take(false);
        return run.results();
    }

    /** One call's passes, taken one at a time by whichever thread is free. */
    private static final class Run<P, R> {
        private final List<P> inputs;
        private final Function<P, R> pass;
        private final Object[] results;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch finished;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Run(List<P> inputs, Function<P, R> pass) {
            this.inputs = inputs;
            this.pass = pass;
            this.results = new Object[inputs.size()];
            this.finished = new CountDownLatch(inputs.size());
        }

        /** Takes passes until none is left; {@code helper}: a helper thread's, counted for tests. */
        void take(boolean helper) {
            IN_PASS.set(true);
            try {
                for (int i = next.getAndIncrement(); i < results.length; i = next.getAndIncrement()) {
                    try {
                        if (failure.get() == null) {
                            results[i] = pass.apply(inputs.get(i));
                            if (helper) {
                                HELPER_PASSES.incrementAndGet();
                            }
                        }
                    } catch (Throwable t) {
                        if (!failure.compareAndSet(null, t)) {
                            failure.get().addSuppressed(t);
                        }
                    } finally {
                        finished.countDown();
                    }
                }
            } finally {
                IN_PASS.set(false);
            }
        }

        /** Waits for the passes other threads took (each already running, so the wait is at most one pass). */
        @SuppressWarnings("unchecked")
        List<R> results() {
            boolean interrupted = false;
            while (true) {
                try {
                    finished.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
            return (List<R>) Arrays.asList(results);
        }
    }

    /** {@code threads - 1} helper threads, started when first needed and ended after a minute idle. */
    private static final class Pool {
        final int threads;
        final int intraOpThreads;
        private final ThreadPoolExecutor helpers;

        Pool(int threads, int intraOpThreads) {
            this.threads = threads;
            this.intraOpThreads = intraOpThreads;
            this.helpers = threads < 2 ? null : new ThreadPoolExecutor(0, threads - 1, 60, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), task -> {
                        // Daemons: a JVM that exits while a helper waits for work does not wait for it.
                        Thread thread = new Thread(task, "saliency4j-pass-" + HELPER_NAMES.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
        }

        /** Hands the run to an idle helper (or a new one, below the pool's size); false when none is free. */
        boolean offer(Runnable run) {
            try {
                helpers.execute(run);
                return true;
            } catch (RejectedExecutionException e) {
                return false;
            }
        }

        void close() {
            if (helpers != null) {
                helpers.shutdown();
            }
        }
    }
}
