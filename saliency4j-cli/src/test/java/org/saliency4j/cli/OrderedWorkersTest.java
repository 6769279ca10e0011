package org.saliency4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.saliency4j.Parallelism;

/** Several workers, one order: results come back in the items' order, with never more than the bound held. */
class OrderedWorkersTest {
    private static final List<Integer> ITEMS = IntStream.range(0, 40).boxed().toList();

    /** Later items finish first (their work is shorter), yet they are consumed in the items' order. */
    @Test
    void resultsKeepTheItemsOrderWhateverFinishesFirst() {
        List<Integer> consumed = new ArrayList<>();
        Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        OrderedWorkers.run(ITEMS, new Parallelism(3, 1), item -> {
            threads.add(Thread.currentThread().getName());
            sleep(item % 4 == 0 ? 20 : 1);
            return item * item;
        }, consumed::add);
        assertEquals(ITEMS.stream().map(i -> i * i).toList(), consumed);
        assertTrue(threads.size() > 1, "the work ran on several workers: " + threads);
        assertTrue(threads.stream().allMatch(name -> name.startsWith("saliency4j-worker-")), threads.toString());
    }

    /**
     * Items taken and not yet consumed never exceed the plan's bound, even when the consumer is the slowest part:
     * a folder of any size holds that many images at most.
     */
    @Test
    void noMoreThanTheBoundAreHeldAtOnce() {
        Parallelism plan = new Parallelism(2, 1);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        OrderedWorkers.run(ITEMS, plan, item -> {
            most.accumulateAndGet(held.incrementAndGet(), Math::max);
            return item;
        }, item -> {
            sleep(2);
            held.decrementAndGet();
        });
        assertEquals(0, held.get());
        assertTrue(most.get() <= plan.inFlight(), "held at once: " + most.get());
        assertTrue(most.get() > 1, "a slow consumer lets the workers run ahead of it, up to the bound");
    }

    /** What the work throws ends the run on the caller's thread, as it would without workers. */
    @Test
    void anErrorEscapingTheWorkReachesTheCaller() {
        Set<Integer> consumed = new HashSet<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OrderedWorkers.run(ITEMS,
                new Parallelism(2, 1), item -> {
                    if (item == 5) {
                        throw new IllegalStateException("item 5");
                    }
                    return item;
                }, consumed::add));
        assertEquals("item 5", e.getMessage());
        assertEquals(Set.of(0, 1, 2, 3, 4), consumed, "the items before it were consumed, in order, and none after");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
