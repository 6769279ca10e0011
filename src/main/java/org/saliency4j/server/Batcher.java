package org.saliency4j.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.saliency4j.ExplainRequest;
import org.saliency4j.Explanation;
import org.saliency4j.ImageInput;
import org.saliency4j.SaliencyModel;

/**
 * Gathers concurrent requests for the model into batches: the first waiting request waits up to
 * {@code maxWaitMs} for others with the same parameters to join, up to {@code maxBatch}, and the batch goes
 * through one forward and one backward pass ({@link SaliencyModel#explainBatch}). One worker thread owns the
 * model's passes; the queue is bounded, so a full queue refuses work instead of piling it up.
 */
final class Batcher {
    private record Job(ImageInput image, ExplainRequest request, CompletableFuture<Explanation> result) {
    }

    /** Observes what the batcher does, for metrics. */
    interface Listener {
        void batch(int size);
    }

    private final SaliencyModel model;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Job> queue;
    /** Jobs taken from the queue that did not fit the batch being gathered: they go first next time. */
    private final ArrayDeque<Job> deferred = new ArrayDeque<>();
    private final Listener listener;
    private final Thread worker;
    private volatile boolean closing;

    Batcher(SaliencyModel model, int maxBatch, int maxWaitMs, int capacity, Listener listener) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.listener = listener;
        this.worker = new Thread(this::run, "saliency4j-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * @param image a decoded image ({@link ImageInput#picture}), so that it cannot fail the batch
     * @throws HttpError 503 when the queue is full or the batcher is closing
     */
    CompletableFuture<Explanation> submit(ImageInput image, ExplainRequest request) {
        CompletableFuture<Explanation> result = new CompletableFuture<>();
        if (closing || !queue.offer(new Job(image, request, result))) {
            throw HttpError.busy(closing ? "the service is shutting down"
                    : "the queue is full (" + queue.size() + " requests waiting); retry shortly");
        }
        return result;
    }

    /** Requests waiting for the model. */
    int depth() {
        return queue.size() + deferred.size();
    }

    private void run() {
        try {
            while (!(closing && queue.isEmpty() && deferred.isEmpty())) {
                Job first = deferred.isEmpty() ? queue.poll(100, TimeUnit.MILLISECONDS) : deferred.poll();
                if (first == null) {
                    continue;
                }
                List<Job> batch = gather(first);
                listener.batch(batch.size());
                explain(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failRemaining();
    }

    /** The first job and those with equal parameters: deferred ones first, then new arrivals until the deadline. */
    private List<Job> gather(Job first) throws InterruptedException {
        List<Job> batch = new ArrayList<>(List.of(first));
        int deferredCount = deferred.size();
        for (int i = 0; i < deferredCount && batch.size() < maxBatch; i++) {
            Job job = deferred.poll();
            if (job.request().equals(first.request())) {
                batch.add(job);
            } else {
                deferred.add(job);
            }
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            Job next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            if (next.request().equals(first.request())) {
                batch.add(next);
            } else {
                deferred.add(next);
            }
        }
        return batch;
    }

    /** One pass for the batch; should it fail, each job alone, so one input cannot fail the others. */
    private void explain(List<Job> batch) {
        List<Job> live = batch.stream().filter(j -> !j.result().isDone()).toList();
        if (live.isEmpty()) {
            return;
        }
        try {
            List<Explanation> explanations = model.explainBatch(live.stream().map(Job::image).toList(),
                    live.get(0).request().withMethod(live.get(0).request().method()
                            .withBatch(Math.max(live.size(), live.get(0).request().method().batch()))));
            for (int i = 0; i < live.size(); i++) {
                live.get(i).result().complete(explanations.get(i));
            }
        } catch (RuntimeException e) {
            if (live.size() == 1) {
                live.get(0).result().completeExceptionally(e);
                return;
            }
            for (Job job : live) {
                explain(List.of(job));
            }
        }
    }

    private void failRemaining() {
        Job job;
        while ((job = deferred.poll()) != null || (job = queue.poll()) != null) {
            job.result().completeExceptionally(HttpError.busy("the service is shutting down"));
        }
    }

    /** Stops taking requests, finishes those queued, and waits for the worker (at most {@code waitMs}). */
    void close(long waitMs) throws InterruptedException {
        closing = true;
        worker.join(waitMs);
        if (worker.isAlive()) {
            worker.interrupt();
            worker.join();
        }
    }
}
