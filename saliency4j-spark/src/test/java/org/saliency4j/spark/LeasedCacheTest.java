package org.saliency4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The model cache's rules, with values that record their loads and closes. */
class LeasedCacheTest {
    /** A value that knows whether it was closed, and counts closes (a double close would be a double free). */
    private static final class Value implements AutoCloseable {
        final String key;
        final AtomicInteger closes = new AtomicInteger();

        Value(String key) {
            this.key = key;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    private final List<Value> loaded = new ArrayList<>();

    private synchronized Value load(String key) {
        Value value = new Value(key);
        loaded.add(value);
        return value;
    }

    @Test
    void anEvictedValueIsClosedByItsLastLeaseNotUnderIt() {
        LeasedCache<String, Value> cache = new LeasedCache<>(1);
        LeasedCache.Lease<Value> a1 = cache.lease("a", this::load);
        LeasedCache.Lease<Value> a2 = cache.lease("a", this::load);
        assertSame(a1.value(), a2.value(), "one load per key");
        LeasedCache.Lease<Value> b = cache.lease("b", this::load);
        assertEquals(1, cache.size(), "a is evicted: the cache holds one key");
        assertEquals(0, a1.value().closes.get(), "a is still leased: not closed under its tasks");
        a1.close();
        a1.close();
        assertEquals(0, a2.value().closes.get(), "a closed lease counts once");
        a2.close();
        assertEquals(1, a2.value().closes.get(), "closed by its last lease");
        b.close();
        assertEquals(0, b.value().closes.get(), "b stays loaded, for the next task");
        LeasedCache.Lease<Value> again = cache.lease("b", this::load);
        assertSame(b.value(), again.value());
        again.close();
        cache.lease("c", this::load).close();
        assertEquals(1, b.value().closes.get(), "b, evicted with no lease, is closed at once");
        assertEquals(List.of("a", "b", "c"), loaded.stream().map(v -> v.key).toList());
    }

    @Test
    void theLeastRecentlyLeasedGoesFirst() {
        LeasedCache<String, Value> cache = new LeasedCache<>(2);
        cache.lease("a", this::load).close();
        cache.lease("b", this::load).close();
        cache.lease("a", this::load).close();
        cache.lease("c", this::load).close();
        assertEquals(0, loaded.get(0).closes.get(), "a was leased after b");
        assertEquals(1, loaded.get(1).closes.get(), "b goes");
        cache.closeUnused();
        assertTrue(loaded.stream().allMatch(v -> v.closes.get() == 1), "at exit every value is closed once");
    }

    @Test
    void aFailedLoadLeavesNothingAndTheNextLeaseLoadsAgain() {
        LeasedCache<String, Value> cache = new LeasedCache<>(2);
        assertThrows(IllegalStateException.class, () -> cache.lease("a", key -> {
            throw new IllegalStateException("no such model");
        }));
        assertEquals(0, cache.size());
        try (LeasedCache.Lease<Value> lease = cache.lease("a", this::load)) {
            assertEquals("a", lease.value().key);
        }
    }

    @Test
    void concurrentLeasesOfOneKeyShareOneLoad() throws Exception {
        LeasedCache<String, Value> cache = new LeasedCache<>(2);
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Value> first = threads.submit(() -> cache.lease("a", key -> {
                loading.countDown();
                await(proceed);
                return load(key);
            }).value());
            assertTrue(loading.await(10, TimeUnit.SECONDS));
            Future<Value> second = threads.submit(() -> cache.lease("a", this::load).value());
            Thread.sleep(100);
            assertFalse(second.isDone(), "the second waits for the first one's load");
            proceed.countDown();
            assertSame(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS));
            assertEquals(1, loaded.size());
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * A load that fails while another task waits on it: the waiting task loads again, and its value, in an entry the
     * cache no longer keeps, is closed when that task lets go, not left open for good.
     */
    @Test
    void aValueLoadedAfterAFailedLoadItWaitedOnIsClosedByItsLease() throws Exception {
        LeasedCache<String, Value> cache = new LeasedCache<>(2);
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> failing = threads.submit(() -> cache.lease("a", key -> {
                loading.countDown();
                await(proceed);
                throw new IllegalStateException("no such model");
            }));
            assertTrue(loading.await(10, TimeUnit.SECONDS));
            Future<LeasedCache.Lease<Value>> waiting = threads.submit(() -> cache.lease("a", this::load));
            Thread.sleep(100);
            proceed.countDown();
            assertThrows(java.util.concurrent.ExecutionException.class, () -> failing.get(10, TimeUnit.SECONDS));
            LeasedCache.Lease<Value> lease = waiting.get(10, TimeUnit.SECONDS);
            assertEquals(0, lease.value().closes.get(), "open while leased");
            lease.close();
            assertEquals(1, lease.value().closes.get(), "closed by its lease: the cache no longer holds it");
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
