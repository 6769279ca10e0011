package org.saliency4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One call's passes on several threads: each pass once, results in order, failures to the caller. */
class ParallelPassesTest {
    private static final List<Integer> INPUTS = IntStream.range(0, 12).boxed().toList();

    @AfterEach
    void oneThreadAgain() {
        ParallelPasses.configure(1, 1);
    }

    /** Later passes finish first (they are shorter), yet the results come in the inputs' order. */
    @Test
    void resultsKeepTheInputsOrderAndPassesRunOnSeveralThreadsAtOnce() throws Exception {
        ParallelPasses.configure(3, 1);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch together = new CountDownLatch(2);
        List<Integer> results = ParallelPasses.map(INPUTS, i -> {
            threads.add(Thread.currentThread().getName());
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            // The first passes wait (briefly) for a second one to start: two threads then run at once.
            together.countDown();
            await(together);
            sleep(i < 4 ? 20 : 1);
            running.decrementAndGet();
            return i * i;
        });
        assertEquals(INPUTS.stream().map(i -> i * i).toList(), results);
        assertTrue(threads.contains(Thread.currentThread().getName()), "the caller runs passes too: " + threads);
        assertTrue(threads.stream().anyMatch(name -> name.startsWith("saliency4j-pass-")), threads.toString());
        assertTrue(most.get() >= 2 && most.get() <= 3, "passes at once: " + most.get());
    }

    @Test
    void oneThreadRunsEveryPassOnTheCaller() {
        ParallelPasses.configure(1, 1);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        assertEquals(INPUTS, ParallelPasses.map(INPUTS, i -> {
            threads.add(Thread.currentThread().getName());
            return i;
        }));
        assertEquals(Set.of(Thread.currentThread().getName()), threads);
    }

    /** The first failure reaches the caller; passes not started by then are skipped, none runs twice. */
    @Test
    void aFailureReachesTheCallerAndLaterPassesAreSkipped() {
        ParallelPasses.configure(2, 1);
        Set<Integer> ran = ConcurrentHashMap.newKeySet();
        AtomicInteger runs = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ParallelPasses.map(INPUTS, i -> {
            runs.incrementAndGet();
            ran.add(i);
            if (i == 2) {
                throw new IllegalStateException("pass 2");
            }
            sleep(5);
            return i;
        }));
        assertEquals("pass 2", e.getMessage());
        assertEquals(ran.size(), runs.get(), "no pass ran twice");
        assertTrue(ran.size() < INPUTS.size(), "passes after the failure were skipped: " + ran);
    }

    /** With every helper busy, a call runs its passes itself rather than wait for one. */
    @Test
    void aCallWhoseHelpersAreBusyRunsItsPassesItself() throws Exception {
        ParallelPasses.configure(2, 1);
        CountDownLatch helperBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread other = new Thread(() -> ParallelPasses.map(List.of(0, 1), i -> {
            if (!Thread.currentThread().getName().startsWith("saliency4j-pass-")) {
                await(helperBusy);
                return i;
            }
            helperBusy.countDown();
            // Held until the test lets it go, however slow the machine: a helper freed early would take passes.
            await(release, 60);
            return i;
        }));
        other.start();
        assertTrue(helperBusy.await(10, TimeUnit.SECONDS), "the other call took the only helper");
        Set<String> threads = ConcurrentHashMap.newKeySet();
        assertEquals(INPUTS, ParallelPasses.map(INPUTS, i -> {
            threads.add(Thread.currentThread().getName());
            return i;
        }));
        assertEquals(Set.of(Thread.currentThread().getName()), threads);
        release.countDown();
        other.join(10_000);
    }

    /** A call made inside a pass (a noise tunnel's copy asking for its own passes) runs them on its own thread. */
    @Test
    void aCallInsideAPassRunsItsPassesInline() {
        ParallelPasses.configure(3, 1);
        Set<String> inner = ConcurrentHashMap.newKeySet();
        ParallelPasses.map(List.of(0, 1, 2), outer -> {
            String thread = Thread.currentThread().getName();
            assertEquals(1, ParallelPasses.threads(), "inside a pass");
            ParallelPasses.map(INPUTS, i -> {
                assertEquals(thread, Thread.currentThread().getName());
                inner.add(thread);
                return i;
            });
            return outer;
        });
        assertTrue(inner.size() >= 1);
        assertEquals(3, ParallelPasses.threads(), "outside any pass again");
    }

    private static void await(CountDownLatch latch) {
        await(latch, 2);
    }

    private static void await(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
