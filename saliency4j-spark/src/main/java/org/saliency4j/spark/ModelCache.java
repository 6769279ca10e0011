package org.saliency4j.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.saliency4j.ModelOptions;
import org.saliency4j.explain.SaliencyModel;

/**
 * The models of one JVM (an executor, or the driver in local mode): one load per model (by content) and options,
 * shared by every task and partition that runs here, closed when the JVM shuts down. Loading costs seconds
 * (libtorch, the checks, the warm-up passes) and a model is thread-safe, so the tasks of an executor share it,
 * unlike a load per task or partition.
 */
final class ModelCache {
    private record Key(String digest, ModelOptions options) {
    }

    private static final Map<Key, SaliencyModel> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ModelCache::closeAll, "saliency4j-models-close"));
    }

    private ModelCache() {
    }

    /**
     * The model, loaded on first use in this JVM.
     *
     * @param onLoad told once per load, so that the driver can count them
     * @throws org.saliency4j.SaliencyException when the model cannot be loaded (the next task tries again)
     */
    static SaliencyModel get(ShippedModel shipped, ModelOptions options, Runnable onLoad) {
        return MODELS.computeIfAbsent(new Key(shipped.digest(), options), key -> {
            SaliencyModel model = SaliencyModel.load(shipped.writeLocal(), key.options().withName(shipped.name()));
            LOADS.incrementAndGet();
            onLoad.run();
            return model;
        });
    }

    /** How many models this JVM has loaded. */
    static int loads() {
        return LOADS.get();
    }

    private static void closeAll() {
        MODELS.values().forEach(SaliencyModel::close);
        MODELS.clear();
    }
}
