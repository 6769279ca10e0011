package org.saliency4j.server;

/**
 * How the service listens, batches and bounds its work.
 *
 * @param host          the address to bind (127.0.0.1 by default: expose it deliberately)
 * @param port          the port; 0 picks a free one
 * @param maxBatch      the most requests explained in one forward and backward pass
 * @param maxWaitMs     how long the first request of a batch waits for others to join it
 * @param queueCapacity requests waiting for the model beyond which new ones are answered 503
 * @param maxBodyBytes  the largest request body accepted
 * @param timeoutMs     a request not answered within this is answered 503 and its work dropped
 * @param threads       HTTP worker threads (decoding and rendering run on them, and a request holds one while it
 *                      waits for the model)
 * @param maxWork       the most work one request may ask for, in images sent through the model
 *                      ({@link org.saliency4j.Method#passes()}) times the model input's pixels; larger requests are
 *                      refused before they are queued
 */
public record ServiceOptions(String host, int port, int maxBatch, int maxWaitMs, int queueCapacity,
                             long maxBodyBytes, int timeoutMs, int threads, long maxWork) {
    /**
     * 1024 passes of a 224x224 input: SmoothGrad and integrated gradients at the service's largest samples and
     * steps (256) pass, SmoothGrad over integrated gradients at 256 x 256 (65,537 passes) does not.
     */
    public static final long DEFAULT_MAX_WORK = 1024L * 224 * 224;

    public ServiceOptions {
        require(port >= 0 && port <= 65535, "--port", "must be between 0 and 65535, got " + port);
        require(maxBatch >= 1 && maxBatch <= 1024, "--max-batch", "must be between 1 and 1024, got " + maxBatch);
        require(maxWaitMs >= 0 && maxWaitMs <= 10_000, "--max-wait-ms", "must be between 0 and 10000, got " + maxWaitMs);
        require(queueCapacity >= 1, "--queue", "must be at least 1, got " + queueCapacity);
        require(maxBodyBytes >= 1, "--max-body-bytes", "must be at least 1, got " + maxBodyBytes);
        require(timeoutMs >= 1, "--timeout-ms", "must be at least 1, got " + timeoutMs);
        require(threads >= 2, "--http-threads", "must be at least 2, got " + threads);
        require(maxWork >= 1, "--max-work", "must be at least 1, got " + maxWork);
    }

    /** With the default bound on a request's work, {@link #DEFAULT_MAX_WORK}. */
    public ServiceOptions(String host, int port, int maxBatch, int maxWaitMs, int queueCapacity, long maxBodyBytes,
                          int timeoutMs, int threads) {
        this(host, port, maxBatch, maxWaitMs, queueCapacity, maxBodyBytes, timeoutMs, threads, DEFAULT_MAX_WORK);
    }

    public ServiceOptions withMaxWork(long value) {
        return new ServiceOptions(host, port, maxBatch, maxWaitMs, queueCapacity, maxBodyBytes, timeoutMs, threads,
                value);
    }

    /**
     * Loopback, port 8080, batches of up to 16 gathered for 5 ms, 64 queued, 32 MB bodies, 30 s, 88 threads, and
     * {@link #DEFAULT_MAX_WORK}: a
     * request holds its thread while it waits, so there are more threads than the queue and a batch can hold, and
     * requests past the bound get their 503 at once instead of waiting for a thread.
     */
    public static ServiceOptions defaults() {
        return new ServiceOptions("127.0.0.1", 8080, 16, 5, 64, 32L << 20, 30_000, 64 + 16 + 8);
    }

    private static void require(boolean condition, String option, String problem) {
        if (!condition) {
            throw new org.saliency4j.SaliencyException(org.saliency4j.SaliencyException.Kind.OPTION, option, problem);
        }
    }
}
