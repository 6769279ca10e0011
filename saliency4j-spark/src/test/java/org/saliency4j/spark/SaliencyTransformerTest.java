package org.saliency4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.Prediction;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.io.NpyWriter;
import org.saliency4j.io.PictureEncoder;
import org.saliency4j.models.BuiltinModels;

/** The transformer in {@code local[2]}: each row against the library explaining the same image on its own. */
class SaliencyTransformerTest {
    private static final int GOOD = 6;

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static SaliencyModel library;

    @BeforeAll
    static void start() throws Exception {
        TestData.writeGood(dir.resolve("images"), GOOD);
        TestData.writeHostile(dir.resolve("images"));
        spark = SparkSession.builder().master("local[2]").appName("saliency4j-test")
                .config("spark.ui.enabled", "false")
                .config("spark.testing.memory", String.valueOf(512L << 20))
                .getOrCreate();
        library = SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults().withDevice("cpu"));
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (library != null) {
            library.close();
        }
    }

    private static Dataset<Row> images() {
        return spark.read().format("binaryFile").load(dir.resolve("images").toString());
    }

    /** The images, and rows of empty and of missing bytes, which a binaryFile source never gives. */
    private static Dataset<Row> imagesAndEmptyRows() {
        Dataset<Row> images = images();
        return images.union(spark.createDataFrame(List.of(
                RowFactory.create("file:/nowhere/empty.png", new Timestamp(0), 0L, new byte[0]),
                RowFactory.create("file:/nowhere/null.png", new Timestamp(0), 0L, null)), images.schema()));
    }

    private static Map<String, Row> byName(Dataset<Row> rows) {
        return rows.collectAsList().stream().collect(Collectors.toMap(r -> Path.of(
                java.net.URI.create(r.getString(r.fieldIndex("path")))).getFileName().toString(), r -> r));
    }

    /**
     * One image per batch: the same single pass as the library's explain, so every value is equal to the bit; the
     * hostile files become error rows naming them while the good ones are explained.
     */
    @Test
    void eachRowIsWhatTheLibraryGivesForItsImage() throws Exception {
        SaliencyTransformer transformer = new SaliencyTransformer().setOutputs("overlay,map,attribution")
                .setOption("batch", "1");
        Map<String, Row> rows = byName(transformer.transform(imagesAndEmptyRows()));
        assertEquals(GOOD + TestData.HOSTILE.size() + 2, rows.size(), rows.keySet().toString());
        for (int i = 0; i < GOOD; i++) {
            String name = "good-" + i + ".png";
            Row row = rows.get(name);
            assertNull(row.getAs("error"), name);
            Explanation expected = library.explain(ImageInput.bytes(name, Files.readAllBytes(
                    dir.resolve("images").resolve(name))), ExplainRequest.defaults());
            assertSameResult(expected, row, true);
        }
        for (String name : Stream.concat(TestData.HOSTILE.stream(), Stream.of("empty.png", "null.png")).toList()) {
            Row row = rows.get(name);
            String error = row.getAs("error");
            assertNotNull(error, name);
            assertTrue(error.contains(name), error);
            assertNull(row.getAs("predictions"), name);
        }
    }

    /** Images explained together in batches give each image's result, to float rounding. */
    @Test
    void batchedRowsAgreeWithTheLibrary() throws Exception {
        Map<String, Row> rows = byName(new SaliencyTransformer().setOption("batch", "4").setOutputs("overlay,map")
                .setOption("method", "gradient-x-input").setOption("topk", "3").transform(images()));
        ExplainRequest request = ExplainRequest.defaults().withMethod(org.saliency4j.method.Method.parse(
                "gradient-x-input")).withTopK(3);
        for (int i = 0; i < GOOD; i++) {
            String name = "good-" + i + ".png";
            Explanation expected = library.explain(ImageInput.bytes(name, Files.readAllBytes(
                    dir.resolve("images").resolve(name))), request);
            assertSameResult(expected, rows.get(name), false);
        }
        assertEquals(GOOD, rows.values().stream().filter(r -> r.getAs("error") == null).count());
    }

    /** The image bytes stay out of the output unless asked for; the overlay is the one large output by default. */
    @Test
    void theOutputLeavesTheImageBytesOutUnlessAsked() {
        Dataset<Row> images = images();
        List<String> input = List.of(images.columns());
        List<String> columns = List.of(new SaliencyTransformer().transform(images).columns());
        assertEquals(input.stream().filter(c -> !c.equals("content")).toList(), columns.subList(0, input.size() - 1));
        assertTrue(columns.contains("overlay_png") && !columns.contains("map") && !columns.contains("content"),
                columns.toString());
        Row kept = new SaliencyTransformer().setKeepInput(true).setOutputs("").transform(images)
                .filter("path LIKE '%good-0.png'").collectAsList().get(0);
        assertArrayEquals(readGood(0), (byte[]) kept.getAs("content"));
    }

    private static byte[] readGood(int i) {
        try {
            return Files.readAllBytes(dir.resolve("images").resolve("good-" + i + ".png"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The driver broadcasts a model from its heap: one over a quarter of the heap (here a 200 MB file, sparse, under
     * the tests' 512 MiB) is refused before it is read, with what to do about it.
     */
    @Test
    void aModelTooLargeForTheDriversHeapIsRefusedBeforeItIsRead() throws Exception {
        Path large = dir.resolve("large.pt");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(large.toFile(), "rw")) {
            file.setLength(200L << 20);
        }
        SaliencyException e = assertThrows(SaliencyException.class,
                () -> new SaliencyTransformer().setModel(large.toString()).transform(images()));
        assertTrue(e.getMessage().contains("large.pt") && e.getMessage().contains("heap")
                && e.getMessage().contains("-Xmx"), e.getMessage());
        assertEquals(Runtime.getRuntime().maxMemory() / 4, ShippedModel.maxBytes(Runtime.getRuntime().maxMemory()));
        assertEquals(Integer.MAX_VALUE - 8, ShippedModel.maxBytes(64L << 30), "one array at most");
    }

    /**
     * A cancelled job's tasks stop their explanations within a pass or so: each image here takes 10000 passes
     * (SmoothGrad, one noisy copy per pass, 40 s and more), and every task must end within 15 s of the cancel.
     */
    @Test
    void aCancelledJobStopsItsExplanations() throws Exception {
        List<Long> ends = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        // The model is loaded first (its options are the slow job's), so that 3 s into the job its tasks are inside
        // their first explanations; the tasks heard of are those launched after.
        new SaliencyTransformer().setOutputs("").transform(images().filter("path LIKE '%good-0%'")).count();
        long slowStart = System.currentTimeMillis();
        org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onTaskStart(org.apache.spark.scheduler.SparkListenerTaskStart start) {
                if (start.taskInfo().launchTime() >= slowStart) {
                    started.incrementAndGet();
                }
            }

            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                if (end.taskInfo().launchTime() >= slowStart) {
                    // When the task ended, not when the listener bus delivered the event.
                    ends.add(end.taskInfo().finishTime());
                    reasons.add(end.reason().toString());
                }
            }
        };
        spark.sparkContext().addSparkListener(listener);
        SaliencyTransformer slow = new SaliencyTransformer().setOutputs("").setOption("method", "smoothgrad")
                .setOption("samples", "10000").setOption("batch", "1");
        Thread job = new Thread(() -> {
            spark.sparkContext().setJobGroup("slow", "cancelled by the test", false);
            try {
                slow.transform(images().filter("path LIKE '%good-%'")).collectAsList();
            } catch (RuntimeException expected) {
                // The job is cancelled.
            }
        });
        try {
            job.start();
            waitFor(() -> started.get() > 0, "a task started");
            Thread.sleep(3000);
            long cancelled = System.currentTimeMillis();
            spark.sparkContext().cancelJobGroup("slow");
            job.join(60_000);
            assertTrue(!job.isAlive(), "the job ended");
            // Listeners hear of tasks after the job has ended.
            waitFor(() -> ends.size() == started.get(), "every started task's end is heard of");
            for (long end : ends) {
                assertTrue(end - cancelled < 15_000, "a task ended " + (end - cancelled) / 1e3 + " s after the cancel");
            }
            assertTrue(reasons.stream().allMatch(r -> r.contains("TaskKilled")), reasons.toString());
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
    }

    /**
     * The job's input in partitions enough for both task slots of local[2] to the end (as many per slot, up to
     * eight, of at least four images), and no more than 256 images a task; Spark's own packing would put these small
     * files in 2 partitions.
     */
    @Test
    void theJobsInputKeepsEverySlotBusy() throws Exception {
        assertEquals(4, InputFiles.partitions(spark, 9), "two per slot of 2-3 images");
        assertEquals(2, InputFiles.partitions(spark, 1), "one per slot at least");
        assertEquals(6, InputFiles.partitions(spark, 20), "three per slot");
        assertEquals(16, InputFiles.partitions(spark, 160), "eight per slot of 10 images");
        assertEquals(16, InputFiles.partitions(spark, 3000), "eight per slot of 188 images");
        assertEquals(48, InputFiles.partitions(spark, 12_000), "256 images a task at most, 24 per slot");
        assertEquals(2, images().rdd().getNumPartitions(), "Spark's own packing of 9 small files");
        try {
            Dataset<Row> read = InputFiles.list(spark, dir.resolve("images").toString(), 1 << 20).read(spark);
            // Spark splits by bytes: with files of unequal sizes (the hostile ones), one more partition may come.
            int partitions = read.rdd().getNumPartitions();
            assertTrue(partitions == 4 || partitions == 5, "partitions: " + partitions);
            assertEquals(GOOD + TestData.HOSTILE.size(), read.count());
        } finally {
            spark.conf().unset("spark.sql.files.minPartitionNum");
            spark.conf().unset("spark.sql.files.maxPartitionBytes");
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "within 60 s: " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void modelIsLoadedOncePerJvmAndOptions() {
        SaliencyTransformer transformer = new SaliencyTransformer().setOutputs("");
        transformer.transform(images()).count();
        int loads = ModelCache.loads();
        transformer.transform(images().repartition(4)).count();
        assertEquals(loads, ModelCache.loads(), "a second job over more partitions loads nothing");
        assertEquals(0, transformer.modelLoads());
    }

    @Test
    void badOptionsFailBeforeTheJobAndNameTheParameter() {
        SaliencyException topk = assertThrows(SaliencyException.class,
                () -> new SaliencyTransformer().setOption("topk", "0"));
        assertTrue(topk.getMessage().contains("topk"), topk.getMessage());
        SaliencyException unknown = assertThrows(SaliencyException.class,
                () -> new SaliencyTransformer().setOption("--topk", "3"));
        assertTrue(unknown.getMessage().contains("unknown parameter"), unknown.getMessage());
        assertThrows(SaliencyException.class, () -> new SaliencyTransformer().setOutputs("overlay,heat"));
    }

    @Test
    void aModelThatCannotBeLoadedFailsTheJobWithItsMessage() throws Exception {
        Path notAModel = Files.writeString(dir.resolve("not-a-model.pt"), "plain text");
        Exception e = assertThrows(Exception.class, () -> new SaliencyTransformer().setModel(notAModel.toString())
                .transform(images()).count());
        assertTrue(String.valueOf(rootCause(e).getMessage()).contains("not-a-model.pt"), rootCause(e).toString());
    }

    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }

    private static void assertSameResult(Explanation expected, Row row, boolean exact) {
        List<Row> predictions = row.getList(row.fieldIndex("predictions"));
        assertEquals(expected.predictions().size(), predictions.size());
        for (int k = 0; k < predictions.size(); k++) {
            Prediction p = expected.predictions().get(k);
            Row actual = predictions.get(k);
            assertEquals(p.index(), actual.getInt(0));
            assertEquals(p.label(), actual.getString(1));
            assertEquals(p.probability(), actual.getFloat(2), exact ? 0 : 1e-6);
        }
        Row target = row.getAs("target");
        assertEquals(expected.target().index(), target.getInt(0));
        assertEquals(expected.target().label(), target.getString(1));
        assertEquals(expected.target().score().optionName(), target.getString(2));
        assertEquals(expected.target().value(), target.getFloat(3), exact ? 0 : 1e-4);
        float[] map = expected.map().toArray();
        List<Float> actualMap = row.getList(row.fieldIndex("map"));
        assertEquals(map.length, actualMap.size());
        for (int j = 0; j < map.length; j++) {
            assertEquals(map[j], actualMap.get(j), exact ? 0 : 1e-4, "map value " + j);
        }
        if (exact) {
            assertArrayEquals(PictureEncoder.png(expected.render(RenderOptions.defaults())), (byte[]) row.getAs("overlay_png"));
            assertArrayEquals(NpyWriter.bytes(expected.attribution()), (byte[]) row.getAs("attribution_npy"));
        }
        Row region = row.getAs("region");
        assertEquals(expected.region().width(), region.getDouble(2));
        assertEquals("cpu", row.getAs("device"));
        assertNull(row.getAs("warning"));
    }
}
