package org.saliency4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The memory budget: first fit, bounded waits, never over-committed, every permit given back. */
class MemoryBudgetTest {
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler();

    @BeforeEach
    void start() throws Exception {
        scheduler.start();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.stop();
    }

    @Test
    void aSmallImageIsNotHeldBehindALargeOneAndWaitersComeInAsPermitsComeBack() throws Exception {
        MemoryBudget budget = new MemoryBudget(100, scheduler);
        MemoryBudget.Permit first = budget.acquire(60, 1_000, "a").get();
        CompletableFuture<MemoryBudget.Permit> large = budget.acquire(50, 5_000, "b");
        CompletableFuture<MemoryBudget.Permit> small = budget.acquire(10, 5_000, "c");
        CompletableFuture<MemoryBudget.Permit> tooLargeYet = budget.acquire(45, 5_000, "d");
        assertFalse(large.isDone());
        assertTrue(small.isDone(), "the small one fits beside the first and does not wait for the large one");
        assertFalse(tooLargeYet.isDone());
        first.close();
        first.close(); // twice gives back once
        large.get(1, TimeUnit.SECONDS);
        assertFalse(tooLargeYet.isDone(), "50 + 10 + 45 would over-commit");
        assertEquals(60, budget.used());
        small.get().close();
        large.get().close();
        tooLargeYet.get(1, TimeUnit.SECONDS).close();
        assertEquals(0, budget.used());
    }

    @Test
    void aWaitPastItsBoundIs503AndTooMuchIs413() throws Exception {
        MemoryBudget budget = new MemoryBudget(100, scheduler);
        MemoryBudget.Permit held = budget.acquire(80, 1_000, "a").get();
        ExecutionException busy = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> budget.acquire(30, 100, "b").get(2, TimeUnit.SECONDS));
        HttpError error = assertInstanceOf(HttpError.class, busy.getCause());
        assertEquals(503, error.status());
        assertEquals("1", error.retryAfter());
        ExecutionException tooMuch = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> budget.acquire(101, 100, "a huge image").get());
        assertEquals(413, ((HttpError) tooMuch.getCause()).status());
        assertTrue(tooMuch.getCause().getMessage().startsWith("a huge image"));
        CompletableFuture<MemoryBudget.Permit> cancelled = budget.acquire(30, 5_000, "c");
        cancelled.cancel(true);
        held.close();
        assertEquals(0, budget.used(), "a waiter that gave up holds nothing");
        budget.acquire(100, 100, "d").get(1, TimeUnit.SECONDS).close();
    }

    @Test
    void manyThreadsNeverHoldMoreThanTheBudget() throws Exception {
        long capacity = 1_000;
        MemoryBudget budget = new MemoryBudget(capacity, scheduler);
        AtomicLong held = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Random random = new Random(t);
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        long bytes = 1 + random.nextInt(400);
                        try (MemoryBudget.Permit permit = budget.acquire(bytes, 10_000, "x").get()) {
                            peak.accumulateAndGet(held.addAndGet(bytes), Math::max);
                            held.addAndGet(-bytes);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(peak.get() <= capacity, "held " + peak.get() + " of " + capacity);
        assertEquals(0, budget.used());
    }
}
