package org.saliency4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.internal.image.Quantiles;

/** explain with no model and no image, model build, and eval pointing-game, as a user runs them. */
class BuiltinCommandsTest {
    @TempDir
    Path dir;

    @Test
    void explainWithNoModelOrImageExplainsTheDemoSample() throws Exception {
        ExplainCommandTest.Run r = ExplainCommandTest.run("explain", "--out", dir.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode record = new ObjectMapper().readTree(r.out().strip());
        assertEquals("star", record.get("predictions").get(0).get("label").asText());
        assertEquals("demo-sample", record.get("image").asText());
        assertEquals("demo", record.get("model").asText(), "the name typed, not the temporary file");
        assertTrue(Files.size(dir.resolve("demo-sample-saliency.png")) > 500);
    }

    @Test
    void modelBuildWritesADenseNetAndWarnsThatItIsUntrained() throws Exception {
        Path out = dir.resolve("d121.pt");
        ExplainCommandTest.Run r = ExplainCommandTest.run("model", "build", "densenet121", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("7,978,856 parameters"), r.out());
        assertTrue(r.err().contains("random weights"), r.err());
        assertTrue(Files.size(out) > 30_000_000);
    }

    @Test
    void benchReportsMediansAndThroughput() throws Exception {
        ExplainCommandTest.Run r = ExplainCommandTest.run("bench", "--batch", "1,3", "--image-size", "32,64",
                "--iterations", "4", "--json");
        assertEquals(0, r.exit(), r.err());
        List<JsonNode> lines = r.json();
        assertEquals(4, lines.size(), r.out());
        assertEquals(List.of("32x1", "32x3", "64x1", "64x3"), lines.stream()
                .map(j -> j.get("image_size").asInt() + "x" + j.get("batch").asInt()).toList());
        for (JsonNode j : lines) {
            assertTrue(j.get("median_ms").asDouble() > 0 && j.get("p90_ms").asDouble() >= j.get("median_ms").asDouble());
            assertEquals(j.get("batch").asInt() * 1000.0 / j.get("median_ms").asDouble(),
                    j.get("images_per_s").asDouble(), 1e-6);
            assertEquals("cpu", j.get("device").asText());
        }
        assertEquals(1.5, Quantiles.ofSorted(new double[]{1, 2}, 0.5), 1e-12);
    }

    /**
     * A method beside vanilla: one vanilla line first (at the first pass-thread count), then one line per pass-thread
     * count and execution batch with its multiple; this thread's CPU time only where it ran every pass.
     */
    @Test
    void benchSweepsTheExecutionBatchAndPassThreadsAgainstVanilla() throws Exception {
        ExplainCommandTest.Run r = ExplainCommandTest.run("bench", "--method", "integrated-gradients", "--steps", "4",
                "--chunk", "1,4", "--pass-threads", "1,2", "--threads", "1", "--iterations", "2", "--json");
        assertEquals(0, r.exit(), r.err());
        List<JsonNode> lines = r.json();
        assertEquals(List.of("vanilla", "integrated-gradients", "integrated-gradients", "integrated-gradients",
                "integrated-gradients"), lines.stream().map(j -> j.get("method").asText()).toList());
        assertEquals(List.of("1x1", "1x4", "2x1", "2x4"), lines.subList(1, 5).stream()
                .map(j -> j.get("pass_threads").asInt() + "x" + j.get("chunk").asInt()).toList());
        assertEquals(1, lines.get(0).get("pass_threads").asInt());
        for (JsonNode j : lines.subList(1, 5)) {
            assertEquals(j.get("median_ms").asDouble() / lines.get(0).get("median_ms").asDouble(),
                    j.get("vanilla_multiple").asDouble(), 1e-9);
            assertEquals(j.get("pass_threads").asInt() == 1, j.has("thread_cpu_ms"), j.toString());
        }
        ExplainCommandTest.Run bad = ExplainCommandTest.run("bench", "--pass-threads", "-1");
        assertTrue(bad.exit() != 0 && bad.err().contains("pass-threads"), bad.err());
    }

    /** Folder mode: one line per workers x threads plan, in the order given, from files it writes and removes. */
    @Test
    void benchTimesAFolderByWorkersAndThreads() throws Exception {
        ExplainCommandTest.Run r = ExplainCommandTest.run("bench", "--images", "5", "--parallel", "1x1,2x1",
                "--repeats", "2", "--json");
        assertEquals(0, r.exit(), r.err());
        List<JsonNode> lines = r.json();
        assertEquals(List.of("1x1", "2x1"), lines.stream()
                .map(j -> j.get("workers").asInt() + "x" + j.get("threads").asInt()).toList());
        for (JsonNode j : lines) {
            assertEquals(5, j.get("images").asInt());
            assertTrue(j.get("min_images_per_s").asDouble() <= j.get("images_per_s").asDouble()
                    && j.get("images_per_s").asDouble() <= j.get("max_images_per_s").asDouble(), j.toString());
            assertTrue(j.get("ratio_to_first").asDouble() > 0, j.toString());
        }
        assertEquals(1.0, lines.get(0).get("ratio_to_first").asDouble(), 0, "the first plan against itself");
        ExplainCommandTest.Run bad = ExplainCommandTest.run("bench", "--images", "2", "--parallel", "2y1");
        assertEquals(Main.EXIT_USAGE, bad.exit());
        assertTrue(bad.err().contains("--parallel: expected WORKERSxTHREADS such as 2x1, got '2y1'"), bad.err());
    }

    @Test
    void gradCamOnTheDemoNamesItsLayerAndUnknownLayersAreUsageErrors() throws Exception {
        ExplainCommandTest.Run layers = ExplainCommandTest.run("model", "layers", "--json");
        assertEquals(0, layers.exit(), layers.err());
        JsonNode list = new ObjectMapper().readTree(layers.out().strip());
        assertEquals("norm4", list.get(7).get("name").asText());
        assertEquals("[1,64,8,8]", list.get(7).get("shape").toString());

        ExplainCommandTest.Run cam = ExplainCommandTest.run("explain", "--method", "grad-cam++", "--out",
                dir.resolve("cam.png").toString(), "--json");
        assertEquals(0, cam.exit(), cam.err());
        JsonNode record = new ObjectMapper().readTree(cam.out().strip());
        assertEquals("grad-cam++", record.get("method").asText());
        assertEquals("norm4", record.get("layer").asText());

        ExplainCommandTest.Run unknown = ExplainCommandTest.run("explain", "--method", "grad-cam", "--layer", "norm9",
                "--out", dir.resolve("x.png").toString());
        assertEquals(2, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("--layer: no layer norm9") && unknown.err().contains("norm4"), unknown.err());
        ExplainCommandTest.Run flat = ExplainCommandTest.run("explain", "--method", "grad-cam", "--layer", "fc",
                "--out", dir.resolve("x.png").toString());
        assertEquals(2, flat.exit(), flat.err());
    }

    @Test
    void serveRefusesBadOptionsAndABusyPortWithUsageErrors() throws Exception {
        ExplainCommandTest.Run badPort = ExplainCommandTest.run("serve", "--port", "70000");
        assertEquals(2, badPort.exit(), badPort.err());
        assertTrue(badPort.err().contains("--port"), badPort.err());
        ExplainCommandTest.Run badBatch = ExplainCommandTest.run("serve", "--max-batch", "0");
        assertEquals(2, badBatch.exit(), badBatch.err());
        for (String command : new String[]{"serve", "explain"}) {
            ExplainCommandTest.Run badWorkers = ExplainCommandTest.run(command, "--workers", "-1");
            assertEquals(2, badWorkers.exit(), badWorkers.err());
            assertTrue(badWorkers.err().contains("--workers: must be between 0 and "
                    + org.saliency4j.Parallelism.maxWorkers() + ", got -1"), badWorkers.err());
        }
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            ExplainCommandTest.Run busy = ExplainCommandTest.run("serve", "--port",
                    String.valueOf(taken.getLocalPort()));
            assertEquals(2, busy.exit(), busy.err());
            assertTrue(busy.err().contains("cannot listen"), busy.err());
        }
    }

    @Test
    void unknownModelNamesAreUsageErrors() {
        ExplainCommandTest.Run r = ExplainCommandTest.run("model", "build", "resnet51", "--out", dir.resolve("x.pt").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown model 'resnet51'") && r.err().contains("densenet201")
                && r.err().contains("resnet50") && r.err().contains("vit_b_16"), r.err());
    }

    @Test
    void pointingGamePrintsItsFiguresAsJson() throws Exception {
        ExplainCommandTest.Run r = ExplainCommandTest.run("eval", "pointing-game", "--samples", "40", "--seed", "3", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out().strip());
        for (String key : new String[]{"accuracy", "pointing_game", "energy_in_box", "chance", "chance_energy"}) {
            double v = j.get(key).asDouble();
            assertTrue(v >= 0 && v <= 1, key + " = " + v);
        }
        assertTrue(j.get("pointing_game").asDouble() > j.get("chance").asDouble());
        ExplainCommandTest.Run bad = ExplainCommandTest.run("eval", "pointing-game", "--method", "magic");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--method") && bad.err().contains("'magic'"), bad.err());
    }
}
