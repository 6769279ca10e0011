package org.saliency4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.ImageInput;
import org.saliency4j.method.Method;

/**
 * The batcher's worker against explainers that fail, block or run long, without a model: each job an image named
 * by the test, each explanation null (only who is answered, and how, matters here).
 */
@Timeout(30)
class BatcherTest {
    private static final ExplainRequest VANILLA = ExplainRequest.defaults();
    /** 51 passes: runs alone, not batched. */
    /** 51 passes: the first and one per sample. */
    private static final ExplainRequest SMOOTHGRAD = VANILLA.withMethod(Method.smoothGrad(Method.vanilla(), 50));
    private static final Runnable NOTHING = () -> {
    };

    private final LogCapture log = new LogCapture();
    /** Images the explainer was called with, one list per call. */
    private final List<List<String>> calls = new CopyOnWriteArrayList<>();
    private Batcher batcher;

    static Stream<Throwable> faults() {
        return Stream.of(new OutOfMemoryError("Java heap space"), new StackOverflowError(),
                new AssertionError("an Error of any kind"), new IllegalStateException("a bug in the model code"));
    }

    @ParameterizedTest
    @MethodSource("faults")
    void anyThrowableFailsOnlyItsOwnJobAndTheWorkerServesTheNext(Throwable fault) throws Exception {
        start(1_000, 4, (images, request, inputsAtOnce, cancellation) -> {
            if (names(images).contains("bad")) {
                if (fault instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) fault;
            }
            return answers(images);
        });
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> batcher.submit(image("bad"), VANILLA, 1, NOTHING).get(5, TimeUnit.SECONDS));
        assertSame(fault, failed.getCause());
        assertNull(batcher.submit(image("good"), VANILLA, 1, NOTHING).get(5, TimeUnit.SECONDS),
                "the next job is served");
        assertTrue(batcher.ready());
    }

    @Test
    void aFailedBatchIsRetriedJobByJobSoOnlyTheBadJobFails() throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        start(5_000, 4, (images, request, inputsAtOnce, cancellation) -> {
            if (names(images).equals(List.of("hold"))) {
                await(queued);
            } else if (names(images).contains("bad")) {
                throw new OutOfMemoryError("Java heap space");
            }
            return answers(images);
        });
        CompletableFuture<Explanation> hold = batcher.submit(image("hold"), SMOOTHGRAD, 51, NOTHING);
        awaitCalls(1);
        CompletableFuture<Explanation> bad = batcher.submit(image("bad"), VANILLA, 1, NOTHING);
        CompletableFuture<Explanation> good = batcher.submit(image("good"), VANILLA, 1, NOTHING);
        queued.countDown();
        hold.get(5, TimeUnit.SECONDS);
        assertNull(good.get(5, TimeUnit.SECONDS));
        assertInstanceOf(OutOfMemoryError.class, assertThrows(ExecutionException.class, bad::get).getCause());
        assertEquals(List.of(List.of("hold"), List.of("bad", "good"), List.of("bad"), List.of("good")), calls);
    }

    @Test
    void aWorkerThatDiesOutsideAnExplanationIsReplaced() throws Exception {
        AtomicInteger batches = new AtomicInteger();
        batcher = new Batcher((images, request, inputsAtOnce, cancellation) -> answers(images), 4, 16, 0, 8, 1_000, size -> {
            if (batches.incrementAndGet() == 1) {
                throw new OutOfMemoryError("while counting the batch");
            }
        });
        assertInstanceOf(OutOfMemoryError.class, assertThrows(ExecutionException.class,
                () -> batcher.submit(image("first"), VANILLA, 1, NOTHING).get(5, TimeUnit.SECONDS)).getCause());
        assertNull(batcher.submit(image("second"), VANILLA, 1, NOTHING).get(5, TimeUnit.SECONDS),
                "a fresh worker serves");
        assertTrue(batcher.ready());
        assertTrue(log.text().contains("started a fresh one"), log.text());
    }

    @Test
    void cancellingARunningJobStopsItAtTheNextPassAndFreesTheWorker() throws Exception {
        AtomicInteger passesAfterCancel = new AtomicInteger();
        CountDownLatch cancelled = new CountDownLatch(1);
        start(30_000, 4, (images, request, inputsAtOnce, cancellation) -> {
            if (names(images).contains("long")) {
                // 5 s of 10 ms passes unless cancelled.
                for (int pass = 0; pass < 500; pass++) {
                    cancellation.check();
                    if (cancelled.getCount() == 0) {
                        passesAfterCancel.incrementAndGet();
                    }
                    sleep(10);
                }
            }
            return answers(images);
        });
        CompletableFuture<Explanation> longJob = batcher.submit(image("long"), SMOOTHGRAD, 51, NOTHING);
        awaitCalls(1);
        CompletableFuture<Explanation> next = batcher.submit(image("next"), VANILLA, 1, NOTHING);
        Thread.sleep(100);
        long start = System.nanoTime();
        longJob.cancel(true);
        cancelled.countDown();
        assertNull(next.get(5, TimeUnit.SECONDS), "the next job is served");
        assertTrue((System.nanoTime() - start) / 1e9 < 1, "the worker was freed within a pass");
        assertTrue(passesAfterCancel.get() <= 1, passesAfterCancel.get() + " passes after the cancel");
    }

    @Test
    void aJobIsLetGoOnlyWhenTheWorkerNoLongerHoldsItsImageWhateverTheCallerDid() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        start(30_000, 1, (images, request, inputsAtOnce, cancellation) -> {
            if (names(images).contains("hold")) {
                await(hold);
            }
            return answers(images);
        });
        AtomicInteger holdReleased = new AtomicInteger();
        AtomicInteger queuedReleased = new AtomicInteger();
        CompletableFuture<Explanation> running = batcher.submit(image("hold"), SMOOTHGRAD, 51,
                holdReleased::incrementAndGet);
        awaitCalls(1);
        CompletableFuture<Explanation> queued = batcher.submit(image("queued"), SMOOTHGRAD, 51,
                queuedReleased::incrementAndGet);
        queued.cancel(true);
        running.cancel(true);
        Thread.sleep(200);
        assertEquals(0, queuedReleased.get(), "cancelled, but still in the queue: its image is still held");
        assertEquals(0, holdReleased.get(), "cancelled, but still inside its pass");
        hold.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((holdReleased.get() == 0 || queuedReleased.get() == 0) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, holdReleased.get(), "let go once its pass returned");
        assertEquals(1, queuedReleased.get(), "let go once the worker dropped it");
        AtomicInteger explainedReleased = new AtomicInteger();
        assertNull(batcher.submit(image("good"), VANILLA, 1, explainedReleased::incrementAndGet)
                .get(5, TimeUnit.SECONDS));
        Thread.sleep(50);
        assertEquals(1, explainedReleased.get(), "an explained job is let go once");
    }

    @Test
    void aCancelledJobNeverFailsTheOthersOfItsBatch() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        start(30_000, 4, (images, request, inputsAtOnce, cancellation) -> {
            if (names(images).equals(List.of("hold"))) {
                await(hold); // so that the next two jobs queue up and share a batch
            } else if (images.size() == 2) {
                inside.countDown();
                await(cancelled);
                cancellation.check();
            }
            return answers(images);
        });
        batcher.submit(image("hold"), SMOOTHGRAD, 51, NOTHING);
        awaitCalls(1);
        CompletableFuture<Explanation> a = batcher.submit(image("a"), VANILLA, 1, NOTHING);
        CompletableFuture<Explanation> b = batcher.submit(image("b"), VANILLA, 1, NOTHING);
        hold.countDown();
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        a.cancel(true);
        cancelled.countDown();
        assertNull(b.get(5, TimeUnit.SECONDS), "b is answered");
        assertEquals(List.of("a", "b"), calls.get(1));
    }

    @Test
    void aJobStillQueuedPastItsDeadlineIsDroppedWithoutRunning() throws Exception {
        start(300, 4, (images, request, inputsAtOnce, cancellation) -> {
            if (names(images).contains("slow")) {
                sleep(600);
            }
            return answers(images);
        });
        CompletableFuture<Explanation> slow = batcher.submit(image("slow"), SMOOTHGRAD, 51, NOTHING);
        awaitCalls(1);
        CompletableFuture<Explanation> late = batcher.submit(image("late"), VANILLA, 1, NOTHING);
        HttpError timedOut = (HttpError) assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS))
                .getCause();
        assertEquals(503, timedOut.status());
        assertTrue(timedOut.getMessage().contains("300 ms"), timedOut.getMessage());
        slow.get(5, TimeUnit.SECONDS);
        assertNull(batcher.submit(image("probe"), VANILLA, 1, NOTHING).get(5, TimeUnit.SECONDS));
        assertEquals(List.of(List.of("slow"), List.of("probe")), calls, "the late job never reached the model");
    }

    @Test
    void aWorkerStuckInAPassIsNotReadyAndRefusesWork() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(200, 4, (images, request, inputsAtOnce, cancellation) -> {
            await(release); // native code: deaf to the cancellation
            return answers(images);
        });
        assertTrue(batcher.ready());
        batcher.submit(image("stuck"), VANILLA, 1, NOTHING);
        awaitCalls(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (batcher.ready() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(batcher.ready(), "a worker a timeout past its jobs' deadlines is stuck");
        assertEquals(503, assertThrows(HttpError.class,
                () -> batcher.submit(image("more"), VANILLA, 1, NOTHING)).status());
        release.countDown();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!batcher.ready() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(batcher.ready(), "ready again once the pass returns");
        assertNull(batcher.submit(image("after"), VANILLA, 1, NOTHING).get(5, TimeUnit.SECONDS));
    }

    /**
     * Two workers explain two batches at once: each call waits until the other has started, which one worker alone
     * could never do (its second call would start only after the first returned).
     */
    @Test
    void twoWorkersExplainTwoBatchesAtOnce() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        batcher = new Batcher((images, request, inputsAtOnce, cancellation) -> {
            calls.add(names(images));
            bothStarted.countDown();
            await(bothStarted);
            if (bothStarted.getCount() > 0) {
                throw new IllegalStateException("the other batch never started");
            }
            return answers(images);
        }, 1, 16, 0, 8, 10_000, size -> {
        }, 2);
        CompletableFuture<Explanation> first = batcher.submit(image("first"), VANILLA, 1, NOTHING);
        CompletableFuture<Explanation> second = batcher.submit(image("second"), VANILLA, 1, NOTHING);
        assertNull(first.get(10, TimeUnit.SECONDS));
        assertNull(second.get(10, TimeUnit.SECONDS));
        assertEquals(2, calls.size(), "one batch each: --max-batch 1");
        assertTrue(batcher.close(0, 2_000), "both workers stopped");
    }

    /** One worker stuck in a pass leaves the other serving: the batcher stays ready. */
    @Test
    void aStuckWorkerLeavesTheOthersServing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        batcher = new Batcher((images, request, inputsAtOnce, cancellation) -> {
            calls.add(names(images));
            if (names(images).contains("stuck")) {
                await(release); // native code: deaf to the cancellation
            }
            return answers(images);
        }, 1, 16, 0, 8, 200, size -> {
        }, 2);
        batcher.submit(image("stuck"), VANILLA, 1, NOTHING);
        awaitCalls(1);
        sleep(600);
        assertTrue(batcher.ready(), "the other worker is free");
        assertNull(batcher.submit(image("served"), VANILLA, 1, NOTHING).get(5, TimeUnit.SECONDS));
        release.countDown();
    }

    @Test
    void closeAnswersEveryJob503AndStopsARunningOneWithinItsBound() throws Exception {
        start(30_000, 4, (images, request, inputsAtOnce, cancellation) -> {
            for (int pass = 0; pass < 500; pass++) {
                cancellation.check();
                sleep(10);
            }
            return answers(images);
        });
        CompletableFuture<Explanation> running = batcher.submit(image("running"), SMOOTHGRAD, 51, NOTHING);
        awaitCalls(1);
        CompletableFuture<Explanation> queued = batcher.submit(image("queued"), SMOOTHGRAD, 51, NOTHING);
        long start = System.nanoTime();
        assertTrue(batcher.close(300, 2_000), "the worker stopped");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 1.5, "closed in " + seconds + " s");
        for (CompletableFuture<Explanation> job : List.of(running, queued)) {
            HttpError error = (HttpError) assertThrows(ExecutionException.class, job::get).getCause();
            assertEquals(503, error.status());
            assertTrue(error.getMessage().contains("shutting down"), error.getMessage());
        }
        assertFalse(batcher.ready());
        assertEquals(503, assertThrows(HttpError.class,
                () -> batcher.submit(image("late"), VANILLA, 1, NOTHING)).status());
    }

    @Test
    void closeReturnsWithinItsBoundEvenWhenTheWorkerIsStuck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(30_000, 4, (images, request, inputsAtOnce, cancellation) -> {
            await(release);
            return answers(images);
        });
        CompletableFuture<Explanation> stuck = batcher.submit(image("stuck"), VANILLA, 1, NOTHING);
        awaitCalls(1);
        long start = System.nanoTime();
        assertFalse(batcher.close(200, 300), "the worker did not stop, and close says so");
        assertTrue((System.nanoTime() - start) / 1e9 < 1.5);
        assertEquals(503, ((HttpError) assertThrows(ExecutionException.class, stuck::get).getCause()).status());
        release.countDown();
    }

    @AfterEach
    void close() throws InterruptedException {
        log.close();
        batcher.close(0, 2_000);
    }

    private void start(long timeoutMs, int maxBatch, Batcher.Explainer explainer) {
        Batcher.Explainer recording = (images, request, inputsAtOnce, cancellation) -> {
            calls.add(names(images));
            return explainer.explainBatch(images, request, inputsAtOnce, cancellation);
        };
        batcher = new Batcher(recording, maxBatch, 16, 50, 8, timeoutMs, size -> {
        });
    }

    private void awaitCalls(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (calls.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(calls.size() >= n, "the explainer was called");
    }

    private static ImageInput image(String name) {
        return ImageInput.bytes(name, new byte[0]);
    }

    private static List<String> names(List<ImageInput> images) {
        return images.stream().map(ImageInput::name).toList();
    }

    private static List<Explanation> answers(List<ImageInput> images) {
        return new ArrayList<>(Collections.nCopies(images.size(), null));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
