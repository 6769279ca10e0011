package org.saliency4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.saliency4j.models.BuiltinModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job as spark-submit runs it, in {@code local[2]}: its exit codes, its summary, its files. */
class SaliencyJobTest {
    private static final int GOOD = 4;

    @TempDir
    static Path dir;

    @BeforeAll
    static void configure() throws Exception {
        TestData.writeGood(dir.resolve("images"), GOOD);
        TestData.writeHostile(dir.resolve("images"));
        // Spark's file sources skip files of no bytes; the job must not lose one.
        Files.write(dir.resolve("images").resolve("empty.png"), new byte[0]);
        // 3 GB (sparse: no disk), over the library's 128 MiB: Spark's binaryFile would read it whole, and fails the
        // job on a file over 2 GB; the job must give it an error row without reading it.
        try (RandomAccessFile huge = new RandomAccessFile(dir.resolve("images").resolve("huge.png").toFile(), "rw")) {
            huge.setLength(3L << 30);
        }
        // libtorch loaded, as a JVM that explained before has it: the early load then reaches the model cache in
        // milliseconds, long before a task (Spark's session, listing and planning take seconds).
        PartitionExplainer.configureEngine(1);
        // What spark-submit would pass the job's JVM.
        System.setProperty("spark.master", "local[2]");
        System.setProperty("spark.testing.memory", String.valueOf(512L << 20));
        System.setProperty("spark.ui.enabled", "false");
    }

    @AfterAll
    static void clear() {
        Stream.of("spark.master", "spark.testing.memory", "spark.ui.enabled").forEach(System::clearProperty);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SaliencyJob.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badImagesAreCountedAndTheJobStillSucceeds() throws Exception {
        // Brackets, as in a folder named after its master: the job reads its output back as a path, not a glob.
        Path output = dir.resolve("out-local[2]");
        Run run = run("--input", dir.resolve("images").toString(), "--output", output.toString(),
                "--png-dir", dir.resolve("png").toString(), "--topk", "2");
        assertEquals(0, run.code(), run.err());
        int bad = TestData.HOSTILE.size() + 2;
        assertTrue(run.out().startsWith("saliency4j-spark: " + (GOOD + bad) + " images, " + bad + " errors, "),
                run.out());
        assertTrue(run.out().contains("empty.png: the file is empty"), "the empty file is an error row: " + run.out());
        assertTrue(run.out().contains("huge.png: the file has 3221225472 bytes, more than the limit of 134217728 "
                + "(not read)"), run.out());
        // One load in this JVM, or none when an earlier test of this JVM loaded the demo model with these options.
        assertTrue(run.out().matches("(?s).*, [01] model loads( \\(1 while Spark started\\))?\\n.*"), run.out());
        assertTrue(run.out().contains("error: ") && run.out().contains("bomb.png"), run.out());
        try (Stream<Path> parquet = Files.list(output)) {
            assertTrue(parquet.anyMatch(p -> p.getFileName().toString().endsWith(".parquet")));
        }
        for (int i = 0; i < GOOD; i++) {
            assertTrue(Files.size(dir.resolve("png").resolve("good-" + i + "-saliency.png")) > 0);
        }
    }

    /** In local mode, the driver's JVM explains: the model loads there while Spark starts, and no task loads it. */
    @Test
    void inLocalModeTheModelLoadsWhileSparkStarts() {
        // Two warm-up passes: options that no other test loads the demo model with, so that this job loads it.
        Run run = run("--input", dir.resolve("images").toString(), "--output", dir.resolve("early").toString(),
                "--warmup", "2");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains(", 1 model loads (1 while Spark started)\n"), run.out());
    }

    @Test
    void earlyLoadsAreForLocalModeAndLocalFilesOnly() throws Exception {
        // One warm-up pass: options that no other test loads the demo model with, so that a wrong load would count.
        ExplainOptions options = new ExplainOptions(Map.of("warmup", "1"));
        for (String master : new String[]{"local-cluster[2,1,1024]", "spark://localhost:7077", ""}) {
            try (EarlyLoad early = EarlyLoad.start(new SparkConf().set("spark.master", master),
                    "demo", options)) {
                assertEquals(0, early.awaitLoads(), master);
            }
        }
        // The bound: a file no larger than the driver broadcasts (a quarter of its heap); past it, not read here.
        long demoBytes = Files.size(BuiltinModels.resolve("demo"));
        assertTrue(EarlyLoad.localFile("demo", 4 * demoBytes).isPresent());
        assertTrue(EarlyLoad.localFile("demo", 4 * demoBytes - 4).isEmpty(), "one byte over the bound");
        SparkConf local = new SparkConf().set("spark.master", "local[2]");
        for (String model : new String[]{"hdfs://namenode/model.pt", dir.resolve("missing.pt").toString()}) {
            try (EarlyLoad early = EarlyLoad.start(local, model, options)) {
                assertEquals(0, early.awaitLoads(), model + " is left to the tasks");
            }
        }
    }

    @Test
    void aBadOptionIsAUsageErrorNamingIt() {
        Run run = run("--output", dir.resolve("unused").toString(), "--topk", "0");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("topk"), run.err());
        assertEquals(2, run("--input", "x").code(), "--output is required");
    }

    @Test
    void aModelThatCannotBeReadFailsTheJob() {
        Run run = run("--input", dir.resolve("images").toString(), "--output", dir.resolve("failed").toString(),
                "--model", dir.resolve("missing.pt").toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("missing.pt"), run.err());
    }
}
