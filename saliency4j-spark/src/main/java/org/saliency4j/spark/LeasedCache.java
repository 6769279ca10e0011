package org.saliency4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded cache of values that own native memory, leased to their users: at most {@code capacity} keys are kept,
 * the least recently leased one is evicted first, and an evicted value is closed once its last lease is closed,
 * never under a user. Each key is loaded once at a time (a second user waits for the first one's load); a load that
 * fails leaves nothing behind, so that the next lease tries again.
 *
 * <p>Written here rather than taken from Caffeine or Guava: their caches close (remove) a value when it is evicted,
 * whoever still uses it, and a model closed under a running task is freed native memory in use.
 *
 * @param <K> the key
 * @param <V> the value, closed when evicted and no longer leased, or at {@link #closeUnused}
 */
final class LeasedCache<K, V extends AutoCloseable> {
    private static final Logger LOG = LoggerFactory.getLogger(LeasedCache.class);

    private final int capacity;
    /** In order of last lease, eldest first. Guarded by this. */
    private final Map<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);

    LeasedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * The key's value, loaded on first use, held until the lease is closed.
     *
     * @throws RuntimeException what the load threw
     */
    Lease<V> lease(K key, Function<K, V> load) {
        Entry<V> entry;
        List<Entry<V>> unused;
        synchronized (this) {
            entry = entries.computeIfAbsent(key, k -> new Entry<>());
            entry.users++;
            unused = evictBeyondCapacity();
        }
        unused.forEach(Entry::close);
        try {
            return new Lease<>(this, entry, entry.value(() -> load.apply(key)));
        } catch (RuntimeException | Error e) {
            // Forgotten and marked evicted: a task waiting on this entry's load then loads it again, and its value,
            // in an entry no longer kept, is closed when that task's lease is (not left open for good).
            synchronized (this) {
                if (entries.remove(key, entry)) {
                    entry.evicted = true;
                }
            }
            release(entry);
            throw e;
        }
    }

    /** How many keys are kept now. */
    synchronized int size() {
        return entries.size();
    }

    /**
     * Closes every value no lease holds and forgets every key; a value still leased is closed by its last lease
     * (at JVM exit, a task still running keeps its model rather than have it freed under it).
     */
    void closeUnused() {
        List<Entry<V>> unused = new ArrayList<>();
        synchronized (this) {
            entries.values().forEach(entry -> {
                entry.evicted = true;
                if (entry.users == 0) {
                    unused.add(entry);
                }
            });
            entries.clear();
        }
        unused.forEach(Entry::close);
    }

    /** Evicts the eldest keys past the capacity; returns those of them that nobody leases, to close. */
    private List<Entry<V>> evictBeyondCapacity() {
        List<Entry<V>> unused = new ArrayList<>();
        Iterator<Entry<V>> eldest = entries.values().iterator();
        while (entries.size() > capacity) {
            Entry<V> entry = eldest.next();
            eldest.remove();
            entry.evicted = true;
            if (entry.users == 0) {
                unused.add(entry);
            }
        }
        return unused;
    }

    private void release(Entry<V> entry) {
        boolean close;
        synchronized (this) {
            entry.users--;
            close = entry.evicted && entry.users == 0;
        }
        if (close) {
            entry.close();
        }
    }

    /** One key's value and who uses it. */
    private static final class Entry<V extends AutoCloseable> {
        /** Guarded by this entry. */
        private V value;
        /** Guarded by the cache. */
        private int users;
        /** Guarded by the cache. */
        private boolean evicted;

        synchronized V value(java.util.function.Supplier<V> load) {
            if (value == null) {
                value = load.get();
            }
            return value;
        }

        synchronized void close() {
            if (value != null) {
                try {
                    value.close();
                } catch (Exception e) {
                    LOG.warn("closing an evicted value failed: {}", e.toString());
                }
                value = null;
            }
        }
    }

    /** A value held for its user; closing the lease (once, however often it is called) lets the value go. */
    static final class Lease<V extends AutoCloseable> implements AutoCloseable {
        private final LeasedCache<?, V> cache;
        private final Entry<V> entry;
        private final V value;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(LeasedCache<?, V> cache, Entry<V> entry, V value) {
            this.cache = cache;
            this.entry = entry;
            this.value = value;
        }

        V value() {
            return value;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                cache.release(entry);
            }
        }
    }
}
