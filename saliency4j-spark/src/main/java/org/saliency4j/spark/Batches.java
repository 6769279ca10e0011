package org.saliency4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import org.apache.spark.sql.Row;
import org.saliency4j.Cancellation;
import org.saliency4j.ImageInput;
import org.saliency4j.Picture;
import org.saliency4j.explain.Explanation;

/**
 * The rows of a partition, explained a batch at a time as they are asked for: each image is decoded on its own (a
 * bad one becomes a row with its error), the decoded ones go through the model together, and a batch that fails is
 * tried again image by image, so that only an image that fails on its own gets the error. Rows come out in input
 * order, lazily: a partition holds one batch in memory, not all of its images.
 */
final class Batches implements Iterator<Row> {
    /** Decodes one image's bytes under the model's limits. */
    @FunctionalInterface
    interface Decoder {
        Picture decode(ImageInput image);
    }

    /** Explains decoded images together, in order. */
    @FunctionalInterface
    interface Explainer {
        List<Explanation> explain(List<ImageInput> images);
    }

    /**
     * How much one batch may hold: a batch is closed when it has {@code images} rows or its decoded images reach
     * {@code pixels} pixels. Since no one image passes the decoder's limit, a batch holds less than
     * {@code pixels} plus that limit decoded.
     */
    record Limit(int images, long pixels) {
        boolean full(int count, long decodedPixels) {
            return count >= images || decodedPixels >= pixels;
        }
    }

    private final Iterator<Row> input;
    private final RowImages images;
    private final Decoder decoder;
    private final Explainer explainer;
    private final ResultRows results;
    private final TaskDevice device;
    private final Limit limit;
    private final Cancellation cancellation;
    private Iterator<Row> ready = List.<Row>of().iterator();

    Batches(Iterator<Row> input, RowImages images, Decoder decoder, Explainer explainer, ResultRows results,
            TaskDevice device, Limit limit, Cancellation cancellation) {
        this.input = input;
        this.images = images;
        this.decoder = decoder;
        this.explainer = explainer;
        this.results = results;
        this.device = device;
        this.limit = limit;
        this.cancellation = cancellation;
    }

    @Override
    public boolean hasNext() {
        if (!ready.hasNext() && input.hasNext()) {
            cancellation.check();
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

    /** Reads rows until the batch is full and explains them; their rows in input order. */
    private List<Row> nextBatch() {
        List<Row> out = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<Row> decodedRows = new ArrayList<>();
        List<ImageInput> decoded = new ArrayList<>();
        long pixels = 0;
        // Rows that fail to decode count too: a batch holds at most that many input rows, whatever they are.
        while (input.hasNext() && !limit.full(out.size(), pixels)) {
            Row row = input.next();
            String name = images.name(row);
            try {
                Picture picture = decoder.decode(images.bytes(row, name));
                pixels += (long) picture.width() * picture.height();
                decoded.add(ImageInput.picture(name, picture));
                decodedRows.add(row);
                positions.add(out.size());
                out.add(null);
            } catch (RuntimeException | OutOfMemoryError e) {
                out.add(failed(row, name, e));
            }
        }
        List<Row> explained = explain(decodedRows, decoded);
        for (int i = 0; i < positions.size(); i++) {
            out.set(positions.get(i), explained.get(i));
        }
        return out;
    }

    /** The batch through the model at once; when that fails, each image on its own. */
    private List<Row> explain(List<Row> rows, List<ImageInput> pictures) {
        if (pictures.isEmpty()) {
            return List.of();
        }
        try {
            List<Explanation> explanations = explainer.explain(pictures);
            List<Row> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                out.add(row(rows.get(i), pictures.get(i).name(), explanations.get(i)));
            }
            return out;
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            if (pictures.size() == 1) {
                return List.of(failed(rows.get(0), pictures.get(0).name(), e));
            }
            List<Row> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                out.addAll(explain(List.of(rows.get(i)), List.of(pictures.get(i))));
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

    /** Where a row keeps its image: the bytes' column, and the column that names it (or its place). */
    static final class RowImages {
        private final int contentIndex;
        private final int pathIndex;
        private final int partition;
        private int seen;

        /**
         * @param contentIndex the column of encoded image bytes
         * @param pathIndex    the column that names the image, or -1
         * @param partition    names images by their place when there is no path
         */
        RowImages(int contentIndex, int pathIndex, int partition) {
            this.contentIndex = contentIndex;
            this.pathIndex = pathIndex;
            this.partition = partition;
        }

        /** The image's path, or its place in the partition when there is no path column. */
        String name(Row row) {
            seen++;
            return pathIndex >= 0 && !row.isNullAt(pathIndex) ? row.getString(pathIndex)
                    : "partition " + partition + " row " + seen;
        }

        ImageInput bytes(Row row, String name) {
            if (row.isNullAt(contentIndex)) {
                throw new IllegalArgumentException(name + ": no image bytes (the content column is null)");
            }
            return ImageInput.bytes(name, (byte[]) row.get(contentIndex));
        }
    }
}
