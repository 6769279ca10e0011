package org.saliency4j.server;

import org.saliency4j.Parallelism;
import org.saliency4j.SaliencyException;

/**
 * How the service listens, batches and bounds its work.
 *
 * @param host              the address to bind (127.0.0.1 by default: expose it deliberately)
 * @param port              the port; 0 picks a free one
 * @param maxBatch          the most requests explained in one forward and backward pass
 * @param maxWaitMs         how long the first request of a batch waits for others to join it
 * @param queueCapacity     requests waiting for the model beyond which new ones are answered 503
 * @param maxBodyBytes      the largest request body accepted
 * @param timeoutMs         a request not answered within this, counted from the end of its body, is answered 503
 *                          and its work cancelled
 * @param threads           HTTP threads, at least {@link #MIN_THREADS}: they parse, route, read bodies as bytes
 *                          arrive and answer; no request holds one while it uploads or waits
 * @param maxWork           the most work one request may ask for, in images sent through the model
 *                          ({@link org.saliency4j.explain.SaliencyModel#passes}) times the model input's pixels; larger
 *                          requests are refused before they are queued
 * @param memoryBudgetBytes what the images being decoded, explained and rendered may take at once, weighed from
 *                          their headers before decoding; requests beyond it wait (up to the timeout) or get 503
 * @param maxUploads        request bodies being received at once; more are answered 503 at once
 * @param minBodyRate       bytes per second a body must keep up after a grace of 2 s, else 408
 * @param workers           batches explained at once, each by its own thread (the queue is shared and its bound
 *                          unchanged): one per core on a CPU ({@link org.saliency4j.Parallelism}), one on a GPU
 */
public record ServiceOptions(String host, int port, int maxBatch, int maxWaitMs, int queueCapacity,
                             long maxBodyBytes, int timeoutMs, int threads, long maxWork, long memoryBudgetBytes,
                             int maxUploads, long minBodyRate, int workers) {
    /** Jetty's connector takes one thread to accept connections and one to select on them, for good. */
    static final int ACCEPTORS = 1;
    static final int SELECTORS = 1;
    /** The connector's threads and two for requests: fewer and Jetty cannot serve. */
    public static final int MIN_THREADS = ACCEPTORS + SELECTORS + 2;
    /**
     * 300 passes of a 224x224 input: SmoothGrad and integrated gradients at the service's largest samples and steps
     * (256) pass, SmoothGrad over integrated gradients does not beyond a few samples. On the demo model's 64x64
     * input that is 3,675 passes, about 20 s on a busy 2-core machine: within the default timeout. (The bound
     * counts pixels, not seconds: a larger model costs more per pass; the timeout stops what overruns.)
     */
    public static final long DEFAULT_MAX_WORK = 300L * 224 * 224;

    public ServiceOptions {
        require(port >= 0 && port <= 65535, "port", "must be between 0 and 65535, got " + port);
        require(maxBatch >= 1 && maxBatch <= 1024, "max-batch", "must be between 1 and 1024, got " + maxBatch);
        require(maxWaitMs >= 0 && maxWaitMs <= 10_000, "max-wait-ms", "must be between 0 and 10000, got " + maxWaitMs);
        require(queueCapacity >= 1, "queue", "must be at least 1, got " + queueCapacity);
        require(maxBodyBytes >= 1 && maxBodyBytes <= Integer.MAX_VALUE - 8, "max-body-bytes",
                "must be between 1 and " + (Integer.MAX_VALUE - 8) + ", got " + maxBodyBytes);
        require(timeoutMs >= 1, "timeout-ms", "must be at least 1, got " + timeoutMs);
        require(threads >= MIN_THREADS && threads <= 1024, "http-threads", "must be between " + MIN_THREADS
                + " (Jetty's acceptor and selector, and 2 for requests) and 1024, got " + threads);
        require(maxWork >= 1, "max-work", "must be at least 1, got " + maxWork);
        require(memoryBudgetBytes >= 1 << 20, "memory-budget-mb", "must be at least 1, got "
                + (memoryBudgetBytes >> 20));
        require(maxUploads >= 1 && maxUploads <= 4096, "max-uploads", "must be between 1 and 4096, got "
                + maxUploads);
        require(minBodyRate >= 1, "min-body-rate", "must be at least 1 byte per second, got " + minBodyRate);
        require(workers >= 1 && workers <= Parallelism.maxWorkers(), "workers", "must be between 1 and "
                + Parallelism.maxWorkers() + ", got " + workers);
    }

    /** All but the workers: one. */
    public ServiceOptions(String host, int port, int maxBatch, int maxWaitMs, int queueCapacity, long maxBodyBytes,
                          int timeoutMs, int threads, long maxWork, long memoryBudgetBytes, int maxUploads,
                          long minBodyRate) {
        this(host, port, maxBatch, maxWaitMs, queueCapacity, maxBodyBytes, timeoutMs, threads, maxWork,
                memoryBudgetBytes, maxUploads, minBodyRate, 1);
    }

    /** The first eight options, with the defaults for the work bound, the memory budget, uploads and body rate. */
    public ServiceOptions(String host, int port, int maxBatch, int maxWaitMs, int queueCapacity, long maxBodyBytes,
                          int timeoutMs, int threads) {
        this(host, port, maxBatch, maxWaitMs, queueCapacity, maxBodyBytes, timeoutMs, threads, DEFAULT_MAX_WORK,
                defaultMemoryBudget(), 16, 16 * 1024);
    }

    /**
     * Loopback, port 8080, batches of up to 16 gathered for 5 ms, 64 queued, 32 MB bodies, 30 s, 20 threads (a
     * waiting request holds none), {@link #DEFAULT_MAX_WORK}, {@link #defaultMemoryBudget()}, 16 uploads at once
     * (at most 512 MB of bodies) of at least 16 KiB/s each.
     */
    public static ServiceOptions defaults() {
        return new ServiceOptions("127.0.0.1", 8080, 16, 5, 64, 32L << 20, 30_000, 20);
    }

    /**
     * 1 GiB, or three quarters of the heap when that is smaller (768 MiB in the 1 GiB heap `bin/saliency4j serve`
     * runs in): a 62-megapixel image weighs about 750 MB decoded and explained, so it is admitted alone and beside
     * nothing large; rendered at its own size it weighs about 2 GB and is refused with 413 unless the budget
     * (and the heap) are raised (see {@code SaliencyService}'s weights).
     */
    public static long defaultMemoryBudget() {
        return Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4 * 3);
    }

    public ServiceOptions withMaxWork(long value) {
        return new ServiceOptions(host, port, maxBatch, maxWaitMs, queueCapacity, maxBodyBytes, timeoutMs, threads,
                value, memoryBudgetBytes, maxUploads, minBodyRate, workers);
    }

    public ServiceOptions withMemoryBudget(long bytes) {
        return new ServiceOptions(host, port, maxBatch, maxWaitMs, queueCapacity, maxBodyBytes, timeoutMs, threads,
                maxWork, bytes, maxUploads, minBodyRate, workers);
    }

    public ServiceOptions withWorkers(int value) {
        return new ServiceOptions(host, port, maxBatch, maxWaitMs, queueCapacity, maxBodyBytes, timeoutMs, threads,
                maxWork, memoryBudgetBytes, maxUploads, minBodyRate, value);
    }

    private static void require(boolean condition, String option, String problem) {
        if (!condition) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, option, problem);
        }
    }
}
