package org.saliency4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saliency4j.Cancellation;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.RenderOptions;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.internal.image.TestImages;
import org.saliency4j.models.BuiltinModels;
import org.saliency4j.models.ShapesTask;

/**
 * A partition's rows as {@link Batches} makes them, without Spark: input rows of (path, content), the demo model,
 * and explainers that fail on purpose.
 */
class BatchesTest {
    private static final int IMAGES = 6;
    private static SaliencyModel model;
    private static List<Row> rows;

    @BeforeAll
    static void load() {
        model = SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults().withDevice("cpu"));
        ShapesTask task = new ShapesTask(11);
        rows = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            rows.add(RowFactory.create("good-" + i + ".png", TestImages.encode(task.sample(i).image(), ".png")));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<Row> explain(List<Row> input, Batches.Explainer explainer, Batches.Limit limit,
                                     Cancellation cancellation) {
        ResultRows results = new ResultRows(EnumSet.noneOf(Output.class), RenderOptions.defaults(), new int[]{0});
        Batches batches = new Batches(input.iterator(), new Batches.RowImages(1, 0, 0), model::decode, explainer,
                results, new TaskDevice("cpu", null), limit, cancellation);
        List<Row> out = new ArrayList<>();
        batches.forEachRemaining(out::add);
        return out;
    }

    private static Batches.Explainer library(List<Integer> batchSizes) {
        return images -> {
            batchSizes.add(images.size());
            return model.explainBatch(images, ExplainRequest.defaults(), 16, Cancellation.NEVER);
        };
    }

    /**
     * A batch that fails as a whole (here: any batch of more than one image) is explained again image by image: every
     * image that succeeds on its own gets its row, equal to the library's for it alone, and only the image that
     * fails on its own (good-2) gets an error, in its place.
     */
    @Test
    void aFailingBatchIsRetriedImageByImage() {
        List<Integer> sizes = new ArrayList<>();
        Batches.Explainer library = library(sizes);
        Batches.Explainer failing = images -> {
            if (images.size() > 1 || images.get(0).name().equals("good-2.png")) {
                throw new IllegalStateException("out of memory, say, for " + images.size() + " images");
            }
            return library.explain(images);
        };
        List<Row> out = explain(rows, failing, new Batches.Limit(4, Long.MAX_VALUE), Cancellation.NEVER);
        assertEquals(IMAGES, out.size());
        assertEquals(List.of(1, 1, 1, 1, 1), sizes, "the two batches (4 and 2 images) again one image at a time");
        for (int i = 0; i < IMAGES; i++) {
            Row row = out.get(i);
            assertEquals("good-" + i + ".png", row.getString(0), "rows stay in input order");
            String error = field(row, "error");
            if (i == 2) {
                assertEquals("good-2.png: out of memory, say, for 1 images", error);
                assertNull(field(row, "predictions"));
            } else {
                assertNull(error, error);
                Explanation alone = model.explain(ImageInput.bytes("x", row(i).getAs(1)), ExplainRequest.defaults());
                Row target = field(row, "target");
                assertEquals(alone.target().index(), target.getInt(0));
                assertEquals(alone.target().value(), target.getFloat(3), 1e-4);
            }
        }
    }

    /** A column of an output row, which starts with the input's path. */
    @SuppressWarnings("unchecked")
    private static <T> T field(Row row, String name) {
        return (T) row.get(1 + ResultRows.columns(EnumSet.noneOf(Output.class)).fieldIndex(name));
    }

    private static Row row(int i) {
        return rows.get(i);
    }

    /**
     * A batch closes when its decoded pixels reach the budget, whatever the image count allows: the demo task's
     * images and a budget of 3 of them give batches of 3, so a task never holds more than the budget plus one image decoded.
     */
    @Test
    void aBatchHoldsDecodedPixelsUpToTheBudget() {
        List<Integer> sizes = new ArrayList<>();
        long three = 3L * ShapesTask.SIZE * ShapesTask.SIZE;
        List<Row> out = explain(rows, library(sizes), new Batches.Limit(16, three), Cancellation.NEVER);
        assertEquals(List.of(3, 3), sizes);
        out.forEach(row -> assertNull(field(row, "error")));
        sizes.clear();
        explain(rows, library(sizes), new Batches.Limit(16, three - 1), Cancellation.NEVER);
        assertEquals(List.of(3, 3), sizes, "the image that reaches the budget closes the batch");
        sizes.clear();
        explain(rows, library(sizes), new Batches.Limit(4, Long.MAX_VALUE), Cancellation.NEVER);
        assertEquals(List.of(4, 2), sizes);
        assertTrue(new Batches.Limit(4, 100).full(1, 100));
        assertFalse(new Batches.Limit(4, 100).full(3, 99));
    }

    /** Bad bytes become error rows in their places; a batch of the others still goes through the model. */
    @Test
    void undecodableImagesAreErrorRowsInTheirPlaces() {
        List<Row> input = new ArrayList<>(rows.subList(0, 3));
        input.add(1, RowFactory.create("text.png", "not an image".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        input.add(3, RowFactory.create("null.png", null));
        List<Integer> sizes = new ArrayList<>();
        List<Row> out = explain(input, library(sizes), new Batches.Limit(8, Long.MAX_VALUE), Cancellation.NEVER);
        assertEquals(List.of(3), sizes);
        assertEquals(List.of("good-0.png", "text.png", "good-1.png", "null.png", "good-2.png"),
                out.stream().map(r -> r.getString(0)).toList());
        assertTrue(((String) field(out.get(1), "error")).startsWith("text.png: "), out.get(1).toString());
        assertTrue(((String) field(out.get(3), "error")).contains("null"), out.get(3).toString());
    }

    /** A cancelled task stops before its next batch, and its cancellation is not retried image by image. */
    @Test
    void cancellationEndsThePartition() {
        AtomicBoolean cancelled = new AtomicBoolean();
        List<Integer> sizes = new ArrayList<>();
        Batches.Explainer cancelledDuring = images -> {
            sizes.add(images.size());
            cancelled.set(true);
            throw new CancellationException("the explanation was cancelled");
        };
        assertThrows(CancellationException.class, () -> explain(rows, cancelledDuring, new Batches.Limit(2,
                Long.MAX_VALUE), cancelled::get));
        assertEquals(List.of(2), sizes, "no retry of the batch, no further batch");
    }
}
