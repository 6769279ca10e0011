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
        Map<String, Row> rows = byName(new SaliencyTransformer().setOption("batch", "4")
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
