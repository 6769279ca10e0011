package org.saliency4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.saliency4j.Cancellation;
import org.saliency4j.EngineSettings;
import org.saliency4j.ImageInput;
import org.saliency4j.explain.Engine;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.explain.SaliencyModel;

/**
 * Explains one partition's images on an executor, a batch at a time: each image is decoded on its own (a bad one
 * becomes a row with its error), the decoded ones go through the model together, and a batch that fails is tried
 * again image by image, so that only the image that fails gets the error. Rows come out as the input rows go in,
 * lazily: a partition holds one batch in memory, not all of its images. Only a model that cannot be loaded fails
 * the task.
 */
final class PartitionExplainer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final ShippedModel model;
    private final ExplainOptions options;
    private final Set<Output> outputs;
    private final int contentIndex;
    private final int pathIndex;
    private final LongAccumulator loads;

    /**
     * @param model        the model, broadcast with the job
     * @param contentIndex the input column of encoded image bytes
     * @param pathIndex    the input column that names the image, or -1
     * @param loads        counts the model loads of the whole job, across executors
     */
    PartitionExplainer(ShippedModel model, ExplainOptions options, Set<Output> outputs, int contentIndex,
                       int pathIndex, LongAccumulator loads) {
        this.model = model;
        this.options = options;
        this.outputs = outputs;
        this.contentIndex = contentIndex;
        this.pathIndex = pathIndex;
        this.loads = loads;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            // An empty partition loads no model.
            return rows;
        }
        TaskContext task = TaskContext.get();
        // libtorch's thread count is OpenMP's, which holds for the thread that sets it, and each task runs on a
        // thread of its own: so every task sets it, to its share of the executor's cores (spark.task.cpus).
        Engine.configure(EngineSettings.recommended().withThreads(Math.max(1, task.cpus())));
        TaskDevice device = TaskDevice.of(options.device(), task.resourcesJMap());
        SaliencyModel saliency = ModelCache.get(model, options.modelOptions(device.device()), () -> loads.add(1));
        ExplainRequest request = options.request(saliency);
        return new Batches(rows, saliency, request, device, new ResultRows(outputs, options.render()),
                task::isInterrupted, task.partitionId());
    }

    /** The rows of a partition, explained a batch at a time as they are asked for. */
    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> input;
        private final SaliencyModel saliency;
        private final ExplainRequest request;
        private final TaskDevice device;
        private final ResultRows results;
        private final Cancellation cancellation;
        private final int partition;
        private Iterator<Row> ready = List.<Row>of().iterator();
        private int seen;

        Batches(Iterator<Row> input, SaliencyModel saliency, ExplainRequest request, TaskDevice device,
                ResultRows results, Cancellation cancellation, int partition) {
            this.input = input;
            this.saliency = saliency;
            this.request = request;
            this.device = device;
            this.results = results;
            this.cancellation = cancellation;
            this.partition = partition;
        }

        @Override
        public boolean hasNext() {
            if (!ready.hasNext() && input.hasNext()) {
                ready = nextBatch().iterator();
            }
            return ready.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.next();
        }

        /** Reads up to a batch of rows and explains them; their rows in input order. */
        private List<Row> nextBatch() {
            // 0, the default, is the device's batch, which the loaded model knows.
            int size = options.batch() > 0 ? options.batch() : saliency.batch();
            Row[] out = new Row[size];
            List<Integer> positions = new ArrayList<>();
            List<Row> decodedRows = new ArrayList<>();
            List<ImageInput> decoded = new ArrayList<>();
            int count = 0;
            for (; count < size && input.hasNext(); count++) {
                Row row = input.next();
                String name = name(row);
                try {
                    byte[] content = row.isNullAt(contentIndex) ? null : (byte[]) row.get(contentIndex);
                    if (content == null) {
                        throw new IllegalArgumentException(name + ": no image bytes (the content column is null)");
                    }
                    decoded.add(ImageInput.picture(name, saliency.decode(ImageInput.bytes(name, content))));
                    decodedRows.add(row);
                    positions.add(count);
                } catch (RuntimeException | OutOfMemoryError e) {
                    out[count] = failed(row, name, e);
                }
            }
            List<Row> explained = explain(decodedRows, decoded);
            for (int i = 0; i < positions.size(); i++) {
                out[positions.get(i)] = explained.get(i);
            }
            return Arrays.asList(out).subList(0, count);
        }

        /** The batch through the model at once; when that fails, each image on its own. */
        private List<Row> explain(List<Row> rows, List<ImageInput> images) {
            if (images.isEmpty()) {
                return List.of();
            }
            try {
                List<Explanation> explanations = saliency.explainBatch(images, request, options.batch(), cancellation);
                List<Row> out = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    out.add(row(rows.get(i), images.get(i).name(), explanations.get(i)));
                }
                return out;
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException | OutOfMemoryError e) {
                if (images.size() == 1) {
                    return List.of(failed(rows.get(0), images.get(0).name(), e));
                }
                List<Row> out = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    out.addAll(explain(List.of(rows.get(i)), List.of(images.get(i))));
                }
                return out;
            }
        }

        /** The explanation's row; rendering or encoding that fails fails this image only. */
        private Row row(Row input, String name, Explanation explanation) {
            try {
                return results.explained(input, explanation, device.warning());
            } catch (RuntimeException | OutOfMemoryError e) {
                return failed(input, name, e);
            }
        }

        private Row failed(Row row, String name, Throwable e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // Library errors name the image already; others are prefixed with it.
            return results.failed(row, device.device(), device.warning(),
                    message.startsWith(name) ? message : name + ": " + message);
        }

        /** The image's path, or its place in the partition when there is no path column. */
        private String name(Row row) {
            seen++;
            return pathIndex >= 0 && !row.isNullAt(pathIndex) ? row.getString(pathIndex)
                    : "partition " + partition + " row " + seen;
        }
    }
}
