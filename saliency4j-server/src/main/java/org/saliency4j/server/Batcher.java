package org.saliency4j.server;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.saliency4j.Cancellation;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.ImageInput;
import org.saliency4j.explain.SaliencyModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers concurrent requests for the model into batches: the first waiting request waits up to
 * {@code maxWaitMs} for others with an equal request to join (methods are values, so requests that differ only
 * in parameters their method does not use are equal), up to {@code maxBatch}, and the batch goes
 * through one forward and one backward pass ({@link SaliencyModel#explainBatch}). Worker threads (one, or one
 * per core on a CPU: the model serves several threads at once) take turns gathering batches and explain them at the
 * same time; the queue is bounded, so a full queue refuses work instead of piling it up.
 *
 * <p>Each job has a deadline, the request timeout after it was submitted; a job whose future is done (cancelled
 * by the caller, or failed by {@link #close}) or past its deadline is abandoned: dropped if still queued, and
 * stopped at the model's next pass if running. Whatever an explanation throws, {@link Error}s included, fails only
 * its own batch (retried job by job) and the worker goes on; should anything else end a worker, a fresh one
 * takes its place.
 */
final class Batcher {
    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);
    /**
     * Explains images for one request, at most {@code batch} inputs through the model at once, stopping when
     * asked: {@link SaliencyModel}'s, or a test's fault.
     */
    @FunctionalInterface
    interface Explainer {
        List<Explanation> explainBatch(List<ImageInput> images, ExplainRequest request, int batch,
                                       Cancellation cancellation);
    }

    /** Observes what the batcher does, for metrics. */
    interface Listener {
        void batch(int size);
    }

    /** @param release called once, when the worker no longer holds the job's image (the caller's memory permit) */
    private record Job(ImageInput image, ExplainRequest request, long passes, long deadline,
                       CompletableFuture<Explanation> result, Runnable release) {
        /** Nobody waits for the answer any more: cancelled, failed by close, or past its deadline. */
        boolean abandoned() {
            return result.isDone() || System.nanoTime() - deadline > 0;
        }

        /** Answers the job with {@code failure} (if it is still unanswered) and lets go of it. */
        void fail(Throwable failure) {
            result.completeExceptionally(failure);
            release.run();
        }
    }

    /**
     * Jobs share a batch only when each adds at most one pass to the shared first one: a batch stops when all its
     * jobs are abandoned, so a job cancelled alone costs at most one more pass, and longer methods run alone,
     * stopped by their own cancellation. (Batching saves a noise tunnel only its first pass anyway.)
     */
    static final long MAX_SHARED_PASSES = 2;

    private final Explainer explainer;
    private final int maxBatch;
    /** The model's inputs at once, for noisy copies and path points; a batch of more images goes in one pass. */
    private final int inputsAtOnce;
    private final long maxWaitNanos;
    private final long timeoutMs;
    private final BlockingQueue<Job> queue;
    /** Held by the worker gathering a batch: the others wait their turn, and {@link #deferred} is its alone. */
    private final Object gathering = new Object();
    /**
     * Jobs taken from the queue that did not fit the batch being gathered: they go first next time. Changed only
     * under {@link #gathering}; a concurrent deque so that {@link #depth()}, read by the metrics without the lock
     * (a gatherer holds it up to the batch's wait), may count it while it changes (an ArrayDeque read so can
     * misreport or throw).
     */
    private final Deque<Job> deferred = new ConcurrentLinkedDeque<>();
    /** Every job submitted and not yet answered, wherever it is, so that close can answer them all. */
    private final Set<CompletableFuture<Explanation>> unanswered = ConcurrentHashMap.newKeySet();
    private final Listener listener;
    private final Worker[] workers;
    private volatile boolean closing;

    /** One worker's place: its thread (a fresh one after a failure) and what it is doing. */
    private static final class Worker {
        volatile Thread thread;
        /** When the batch being explained started (System.nanoTime()), valid while {@link #explaining}. */
        volatile long explainingSince;
        volatile boolean explaining;

        /** A batch still running a timeout past its jobs' deadlines: cancellation should have stopped it. */
        boolean stuck(long timeoutMs) {
            return explaining && System.nanoTime() - explainingSince > TimeUnit.MILLISECONDS.toNanos(2 * timeoutMs);
        }
    }

    /**
     * @param inputsAtOnce the model's batch size ({@link SaliencyModel#batch()})
     * @param timeoutMs a job's deadline after its submission; a batch still running a timeout past its jobs'
     *                  deadlines means the worker is stuck in a pass (see {@link #ready})
     */
    Batcher(Explainer explainer, int maxBatch, int inputsAtOnce, int maxWaitMs, int capacity, long timeoutMs,
            Listener listener) {
        this(explainer, maxBatch, inputsAtOnce, maxWaitMs, capacity, timeoutMs, listener, 1);
    }

    /** @param workers batches explained at once, each by its own thread */
    Batcher(Explainer explainer, int maxBatch, int inputsAtOnce, int maxWaitMs, int capacity, long timeoutMs,
            Listener listener, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("a batcher needs at least one worker, got " + workers);
        }
        this.explainer = explainer;
        this.maxBatch = maxBatch;
        this.inputsAtOnce = inputsAtOnce;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        this.timeoutMs = timeoutMs;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.listener = listener;
        this.workers = new Worker[workers];
        for (int i = 0; i < workers; i++) {
            this.workers[i] = new Worker();
            startWorker(i);
        }
    }

    private void startWorker(int index) {
        Worker place = workers[index];
        Thread thread = new Thread(() -> work(place, index), "saliency4j-batcher-" + (index + 1));
        thread.setDaemon(true);
        place.thread = thread;
        thread.start();
    }

    /**
     * @param image   a decoded image ({@link ImageInput#picture}), so that it cannot fail the batch
     * @param passes  the images the request sends through the model ({@code SaliencyModel.passes}): only cheap
     *                requests share a batch
     * @param release run once when the batcher lets go of the job (explained, failed, or dropped), and so of the
     *                image: the caller's memory stays accounted for as long as a queued or running job holds it,
     *                even after the caller answered (a timeout) and moved on; not run when this throws
     * @return the explanation; cancelling it stops the job's work at the model's next pass
     * @throws HttpError 503 when the queue is full, no worker can take work, or the batcher is closing
     */
    CompletableFuture<Explanation> submit(ImageInput image, ExplainRequest request, long passes, Runnable release) {
        if (closing) {
            throw HttpError.busy("the service is shutting down");
        }
        if (!ready()) {
            throw HttpError.busy("the model's workers are not taking work (restarting, or stuck in a pass)");
        }
        CompletableFuture<Explanation> result = new CompletableFuture<>();
        Job job = new Job(image, request, passes, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs), result,
                release);
        unanswered.add(result);
        result.whenComplete((explanation, failure) -> unanswered.remove(result));
        if (!queue.offer(job)) {
            unanswered.remove(result);
            throw HttpError.busy("the queue is full (" + queue.size() + " requests waiting); retry shortly");
        }
        return result;
    }

    /** Requests waiting for the model. */
    int depth() {
        return queue.size() + deferred.size();
    }

    /**
     * Whether some worker can take work: not closing, and a worker alive and not stuck (a batch still running a
     * timeout after its jobs' deadlines, when their cancellation should have stopped it within a pass).
     */
    boolean ready() {
        if (closing) {
            return false;
        }
        for (Worker place : workers) {
            if (place.thread.isAlive() && !place.stuck(timeoutMs)) {
                return true;
            }
        }
        return false;
    }

    private void work(Worker place, int index) {
        List<Job> batch = List.of();
        try {
            while (true) {
                synchronized (gathering) {
                    if (closing && queue.isEmpty() && deferred.isEmpty()) {
                        return;
                    }
                    Job first = deferred.isEmpty() ? queue.poll(100, TimeUnit.MILLISECONDS) : deferred.poll();
                    if (first == null) {
                        continue;
                    }
                    batch = gather(first);
                }
                explain(batch, place);
                batch = List.of();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            // Something outside an explanation failed (explain catches what the model throws): this thread is done
            // with; a fresh worker takes its place, and this one's batch fails.
            try {
                startWorker(index);
            } finally {
                for (Job job : batch) {
                    job.fail(t);
                }
                LOG.error("a batcher's worker failed; started a fresh one", t);
            }
        }
    }

    /**
     * The first job and those that may share its batch: deferred ones first, then new arrivals until the gathering
     * deadline.
     */
    private List<Job> gather(Job first) throws InterruptedException {
        List<Job> batch = new ArrayList<>(List.of(first));
        int limit = first.passes() <= MAX_SHARED_PASSES ? maxBatch : 1;
        int deferredCount = deferred.size();
        for (int i = 0; i < deferredCount && batch.size() < limit; i++) {
            Job job = deferred.poll();
            if (job.request().equals(first.request())) {
                batch.add(job);
            } else {
                deferred.add(job);
            }
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < limit) {
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

    /**
     * One call for the jobs still wanted, stopped once all are abandoned; should it fail, each job alone, so that
     * one input cannot fail the others. Jobs past their deadline are answered 503 without running.
     */
    private void explain(List<Job> batch, Worker place) {
        List<Job> live = new ArrayList<>();
        for (Job job : batch) {
            if (job.abandoned()) {
                job.fail(timedOut());
            } else {
                live.add(job);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        listener.batch(live.size());
        ExplainRequest request = live.get(0).request();
        place.explainingSince = System.nanoTime();
        place.explaining = true;
        try {
            List<Explanation> explanations = explainer.explainBatch(live.stream().map(Job::image).toList(),
                    request, Math.max(live.size(), inputsAtOnce), () -> live.stream().allMatch(Job::abandoned));
            for (int i = 0; i < live.size(); i++) {
                live.get(i).result().complete(explanations.get(i));
                live.get(i).release().run();
            }
        } catch (Throwable t) {
            if (live.stream().allMatch(Job::abandoned)) {
                // Cancelled, or failed with nobody waiting: answer those past their deadline, and move on.
                live.forEach(job -> job.fail(timedOut()));
            } else if (live.size() == 1) {
                if (!(t instanceof Exception)) {
                    LOG.error("explaining a request failed; it alone fails and the worker goes on", t);
                }
                live.get(0).fail(t);
            } else {
                for (Job job : live) {
                    explain(List.of(job), place);
                }
            }
        } finally {
            place.explaining = false;
        }
    }

    private HttpError timedOut() {
        return HttpError.timedOut(timeoutMs);
    }

    /**
     * Stops taking requests and lets those queued and running finish for up to {@code graceMs}; then answers every
     * unanswered one 503, which stops the running batch at the model's next pass, and waits up to {@code stopMs}
     * for the worker to end.
     *
     * @return whether every worker has ended, and so no longer uses the model; false when one is stuck inside a
     * pass (native code), which nothing can interrupt
     */
    boolean close(long graceMs, long stopMs) throws InterruptedException {
        closing = true;
        awaitWorkers(graceMs);
        HttpError shuttingDown = HttpError.busy("the service is shutting down");
        for (CompletableFuture<Explanation> result : unanswered) {
            result.completeExceptionally(shuttingDown);
        }
        return awaitWorkers(stopMs);
    }

    /** Waits up to {@code ms} in all for every worker, replacements included, to end; returns whether all have. */
    private boolean awaitWorkers(long ms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        boolean ended = true;
        for (Worker place : workers) {
            Thread thread;
            do {
                thread = place.thread;
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } while (thread != place.thread || thread.isAlive() && System.nanoTime() - deadline < 0);
            ended &= !thread.isAlive();
        }
        return ended;
    }
}
