package org.saliency4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two executor JVMs ({@code local-cluster[2,1,1024]}), each given a fake GPU by a discovery script: the model is
 * loaded once per JVM however many partitions it explains, and {@code device=auto} takes the task's GPU. 75 s
 * (227 s with the machine loaded 13-15) on 2 cores: two executor JVMs start and unpack libtorch into their own
 * JavaCPP caches.
 */
@Tag("slow")
class LocalClusterTest {
    private static final int IMAGES = 12;
    private static final int PARTITIONS = 6;

    @TempDir
    static Path dir;
    private static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        TestData.writeGood(dir.resolve("images"), IMAGES);
        // local-cluster looks for Spark's assembly under spark.test.home (an empty folder of jars does).
        Path home = Files.createDirectories(dir.resolve("spark-home/assembly/target/scala-2.13/jars"))
                .getParent().getParent().getParent().getParent();
        Path discovery = dir.resolve("gpus.sh");
        Files.writeString(discovery, "#!/bin/sh\necho '{\"name\":\"gpu\",\"addresses\":[\"0\"]}'\n");
        Files.setPosixFilePermissions(discovery, PosixFilePermissions.fromString("rwxr-xr-x"));
        // Read from the system properties, not the configuration.
        System.setProperty("spark.testing", "true");
        System.setProperty("spark.test.home", home.toString());
        SparkConf conf = new SparkConf().setMaster("local-cluster[2,1,1024]").setAppName("saliency4j-local-cluster")
                .set("spark.testing", "true")
                .set("spark.test.home", home.toString())
                .set("spark.testing.memory", String.valueOf(512L << 20))
                .set("spark.ui.enabled", "false")
                .set("spark.task.maxFailures", "1")
                // The executors run this test's classes: absolute entries (a relative one breaks deserialising
                // lambdas there).
                .set("spark.executor.extraClassPath", absoluteClassPath())
                .set("spark.worker.resource.gpu.amount", "1")
                .set("spark.worker.resource.gpu.discoveryScript", discovery.toString())
                .set("spark.executor.resource.gpu.amount", "1")
                .set("spark.task.resource.gpu.amount", "1");
        spark = SparkSession.builder().config(SaliencyJob.executorDefaults(conf, new ExplainOptions(Map.of())))
                .getOrCreate();
        waitForExecutors(2);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        System.clearProperty("spark.testing");
        System.clearProperty("spark.test.home");
    }

    @Test
    void eachExecutorJvmLoadsTheModelOnceAndTasksGetTheirGpu() {
        SaliencyTransformer transformer = new SaliencyTransformer().setOption("device", "cpu").setOutputs("");
        List<Row> rows = transformer.transform(spark.read().format("binaryFile").load(dir.resolve("images")
                .toString()).repartition(PARTITIONS)).collectAsList();
        assertEquals(IMAGES, rows.size());
        rows.forEach(row -> assertNull(row.getAs("error")));
        // Six partitions on two executor JVMs: two loads, not six.
        assertEquals(2, transformer.modelLoads());

        // Each JVM's own count, from the JVM itself.
        Map<Long, Integer> loadsByJvm = spark.range(0, 20, 1, 20).mapPartitions(
                (MapPartitionsFunction<Long, String>) ignored -> List.of(ProcessHandle.current().pid() + " "
                        + ModelCache.loads()).iterator(), Encoders.STRING()).collectAsList().stream().distinct()
                .collect(Collectors.toMap(s -> Long.parseLong(s.split(" ")[0]),
                        s -> Integer.parseInt(s.split(" ")[1])));
        assertEquals(Map.of(1, 2L), loadsByJvm.values().stream().collect(Collectors.groupingBy(n -> n,
                Collectors.counting())), loadsByJvm.toString());
        assertTrue(!loadsByJvm.containsKey(ProcessHandle.current().pid()), "the driver explained nothing");

        // A second job on the same executors loads nothing.
        transformer.transform(spark.read().format("binaryFile").load(dir.resolve("images").toString())).count();
        assertEquals(0, transformer.modelLoads());

        // device=auto: the GPU the scheduler gave each task, from its TaskContext.
        Set<String> devices = Set.copyOf(spark.range(0, 4, 1, 4).mapPartitions(
                (MapPartitionsFunction<Long, String>) ignored -> List.of(TaskDevice.of("auto",
                        TaskContext.get().resourcesJMap()).device()).iterator(), Encoders.STRING()).collectAsList());
        assertEquals(Set.of("cuda:0"), devices);
    }

    private static String absoluteClassPath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(path.split(File.pathSeparator)).filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static void waitForExecutors(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        // getExecutorMemoryStatus counts the driver too.
        while (spark.sparkContext().getExecutorMemoryStatus().size() < count + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the local cluster's executors did not register in 120 s");
            }
            Thread.sleep(200);
        }
    }
}
