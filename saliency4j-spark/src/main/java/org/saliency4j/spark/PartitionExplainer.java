package org.saliency4j.spark;

import java.util.Iterator;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;
import org.saliency4j.Cancellation;
import org.saliency4j.EngineSettings;
import org.saliency4j.Vocabulary;
import org.saliency4j.explain.Engine;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.SaliencyModel;

/**
 * Explains one partition's images on an executor ({@link Batches}), with the model of this JVM's
 * {@link ModelCache}, held for the task and let go when it ends. Only a model that cannot be loaded fails the task;
 * a task that Spark kills (a cancelled job, a lost race of speculation) stops within one pass of the model.
 */
final class PartitionExplainer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final ShippedModel model;
    private final ExplainOptions options;
    private final Set<Output> outputs;
    private final int[] kept;
    private final int contentIndex;
    private final int pathIndex;
    private final LongAccumulator loads;

    /**
     * @param model        the model, broadcast with the job
     * @param outputs      the large columns to emit
     * @param kept         the places of the input columns each output row keeps
     * @param contentIndex the input column of encoded image bytes
     * @param pathIndex    the input column that names the image, or -1
     * @param loads        counts the model loads of the whole job, across executors
     */
    PartitionExplainer(ShippedModel model, ExplainOptions options, Set<Output> outputs, int[] kept,
                       int contentIndex, int pathIndex, LongAccumulator loads) {
        this.model = model;
        this.options = options;
        this.outputs = outputs;
        this.kept = kept;
        this.contentIndex = contentIndex;
        this.pathIndex = pathIndex;
        this.loads = loads;
    }

    /**
     * Sets libtorch up for this thread as a task of {@code cpus} CPUs runs. libtorch's thread count is OpenMP's,
     * which holds for the thread that sets it, and each task runs on a thread of its own: so every task sets it, to
     * its share of the executor's cores (spark.task.cpus). The task slots are the workers that fill the cores, so a
     * task runs its images' passes on its own thread.
     */
    static void configureEngine(int cpus) {
        Engine.configure(EngineSettings.recommended().withThreads(Math.max(1, cpus)).withPassThreads(1));
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            // An empty partition loads no model.
            return rows;
        }
        TaskContext task = TaskContext.get();
        configureEngine(task.cpus());
        TaskDevice device = TaskDevice.of(options.device(), task.resourcesJMap());
        LeasedCache.Lease<SaliencyModel> lease = ModelCache.SHARED.lease(model, options.modelOptions(device.device()),
                () -> loads.add(1));
        // However the task ends (done, failed, killed), the model is let go: a model evicted meanwhile is closed
        // by its last task.
        task.addTaskCompletionListener((TaskCompletionListener) context -> lease.close());
        SaliencyModel saliency = lease.value();
        ExplainRequest request = options.request(saliency);
        Cancellation killed = task::isInterrupted;
        Batches.Explainer explainer = images -> saliency.explainBatch(images, request, options.batch(), killed);
        Batches.Limit limit = new Batches.Limit(options.imagesPerPass(device.device()),
                options.value(Vocabulary.MAX_PIXELS));
        return new Batches(rows, new Batches.RowImages(contentIndex, pathIndex, task.partitionId()), saliency::decode,
                explainer, new ResultRows(outputs, options.render(), kept), device, limit, killed);
    }
}
