package org.saliency4j.spark;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.saliency4j.ModelOptions;
import org.saliency4j.explain.SaliencyModel;

/**
 * The models of one JVM (an executor, or the driver in local mode): one load per model (by content) and options,
 * shared by every task and partition that runs here. Loading costs seconds (libtorch, the checks, the warm-up
 * passes) and a model is thread-safe, so the tasks of an executor share it, unlike a load per task or partition.
 * A JVM keeps at most {@value #CAPACITY} of them (a notebook that tries other options loads the model again for
 * each): the least recently used one goes first, closed once no task uses it; the rest are closed at exit.
 */
final class ModelCache {
    /** The (model, options) pairs one JVM keeps loaded. */
    static final int CAPACITY = 2;
    /** This JVM's. */
    static final ModelCache SHARED = new ModelCache(CAPACITY);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SHARED.models::closeUnused, "saliency4j-models-close"));
    }

    private record Key(String digest, ModelOptions options) {
    }

    private final LeasedCache<Key, SaliencyModel> models;
    private final AtomicInteger loads = new AtomicInteger();

    private ModelCache(int capacity) {
        models = new LeasedCache<>(capacity);
    }

    /**
     * The model, loaded on first use in this JVM, held until the lease is closed.
     *
     * @param onLoad told once per load, so that the driver can count them
     * @throws org.saliency4j.SaliencyException when the model cannot be loaded (the next task tries again)
     */
    LeasedCache.Lease<SaliencyModel> lease(ShippedModel shipped, ModelOptions options, Runnable onLoad) {
        return lease(shipped.digest(), shipped.name(), shipped::writeLocal, options, onLoad);
    }

    /**
     * The model whose file has the SHA-256 {@code digest}, loaded on first use in this JVM from the file
     * {@code localFile} gives, named {@code name} in explanations and errors.
     */
    LeasedCache.Lease<SaliencyModel> lease(String digest, String name, Supplier<Path> localFile,
                                           ModelOptions options, Runnable onLoad) {
        return models.lease(new Key(digest, options), key -> {
            SaliencyModel model = SaliencyModel.load(localFile.get(), key.options().withName(name));
            loads.incrementAndGet();
            onLoad.run();
            return model;
        });
    }

    /** How many models this JVM has loaded. */
    static int loads() {
        return SHARED.loads.get();
    }
}
