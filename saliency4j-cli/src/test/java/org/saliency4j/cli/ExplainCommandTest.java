package org.saliency4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.internal.torch.TestModels;

/** The command line as a user meets it: files written, JSON lines, one-line errors and exit codes. */
class ExplainCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path chelsea;
    static Path rocket;

    @BeforeAll
    static void setUp() throws Exception {
        model = dir.resolve("conv1000.pt");
        TestModels.convNet(model, 8, 1000, 5);
        chelsea = copy("chelsea.png");
        rocket = copy("rocket.jpg");
    }

    record Run(int exit, String out, String err) {
        List<JsonNode> json() throws Exception {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(new ObjectMapper().readTree(line));
                }
            }
            return lines;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void explainsAnImageAndWritesEveryOutput() throws Exception {
        Path out = dir.resolve("one");
        Run r = run("explain", "--model", model.toString(), "--image", chelsea.toString(), "--device", "cpu",
                "--out", out.resolve("{name}.png").toString(), "--raw-gradient", out.resolve("{name}-grad.npy").toString(),
                "--saliency-npy", out.resolve("{name}-map.npy").toString(),
                "--save-input", out.resolve("{name}-input.npy").toString(), "--json", "--topk", "3");
        assertEquals(0, r.exit(), r.err());
        JsonNode record = r.json().get(0);
        assertEquals(chelsea.toString(), record.get("image").asText());
        assertEquals(model.toString(), record.get("model").asText());
        assertEquals("cpu", record.get("device").asText());
        assertEquals(3, record.get("predictions").size());
        JsonNode top = record.get("predictions").get(0);
        assertEquals(top.get("index").asInt(), record.get("target").get("index").asInt());
        assertEquals(top.get("label").asText(), record.get("target").get("label").asText());
        assertEquals("logit", record.get("target").get("score").asText());
        assertTrue(record.get("timings_ms").get("total").asDouble() > 0);
        Path png = out.resolve("chelsea.png");
        assertEquals(png.toString(), record.get("outputs").get("overlay").asText());
        assertTrue(Files.size(png) > 1000);
        assertNpyShape(out.resolve("chelsea-grad.npy"), "(3, 224, 224)", 3 * 224 * 224);
        assertNpyShape(out.resolve("chelsea-map.npy"), "(224, 224)", 224 * 224);
        assertNpyShape(out.resolve("chelsea-input.npy"), "(3, 224, 224)", 3 * 224 * 224);
    }

    @Test
    void theDefaultOutputIsTheStemWithSaliencyInTheWorkingDirectory() throws Exception {
        Path out = Files.createDirectories(dir.resolve("dirout"));
        Run r = run("explain", "--model", model.toString(), "--image", rocket.toString(), "--out", out.toString(),
                "--render", "all");
        assertEquals(0, r.exit(), r.err());
        for (String kind : new String[]{"overlay", "heatmap", "panel"}) {
            assertTrue(Files.exists(out.resolve("rocket-saliency-" + kind + ".png")), kind);
        }
        assertTrue(r.out().contains("1. "), r.out());
        assertTrue(r.out().contains("explained: "), r.out());
        assertEquals("rocket-saliency.png", OutputPaths.of(null, 1).rendering("rocket", org.saliency4j.RenderKind.OVERLAY, false).toString());
    }

    @Test
    void aBadImageIsReportedAndTheOthersStillRun() throws Exception {
        Path images = Files.createDirectories(dir.resolve("mixed"));
        Files.copy(chelsea, images.resolve("a-good.png"));
        Files.writeString(images.resolve("b-text.png"), "not an image at all");
        Files.write(images.resolve("c-empty.jpg"), new byte[0]);
        byte[] jpeg = Files.readAllBytes(rocket);
        Files.write(images.resolve("d-truncated.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        Files.copy(rocket, images.resolve("e-good.jpg"));
        Path out = dir.resolve("mixed-out");
        Run r = run("explain", "--model", model.toString(), "--image", images.toString(),
                "--image", dir.resolve("absent.png").toString(), "--out", out.resolve("{name}.jpg").toString(), "--json");
        assertEquals(1, r.exit());
        List<JsonNode> records = r.json();
        assertEquals(6, records.size());
        assertTrue(records.get(0).get("ok").asBoolean());
        assertFalse(records.get(1).get("ok").asBoolean());
        assertTrue(records.get(4).get("ok").asBoolean());
        assertTrue(Files.exists(out.resolve("a-good.jpg")));
        assertTrue(Files.exists(out.resolve("e-good.jpg")));
        String[] errors = r.err().strip().split("\n");
        assertEquals(5, errors.length, r.err());
        assertTrue(errors[0].contains("b-text.png: not an image"), errors[0]);
        assertTrue(errors[1].contains("c-empty.jpg: the file is empty"), errors[1]);
        assertTrue(errors[2].contains("d-truncated.jpg: ") && errors[2].contains("truncated"), errors[2]);
        assertTrue(errors[3].contains("absent.png: no such file"), errors[3]);
        assertTrue(errors[4].contains("4 of 6 images failed") || errors[4].contains("of 6 images failed"), errors[4]);
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
    }

    @Test
    void severalTargetsWriteOneRecordAndOneFileEach() throws Exception {
        Path out = dir.resolve("targets");
        Run r = run("explain", "--model", model.toString(), "--image", chelsea.toString(), "--target", "top2,281",
                "--out", out.resolve("{name}.png").toString(), "--method", "smoothgrad", "--samples", "3", "--json");
        assertEquals(0, r.exit(), r.err());
        List<JsonNode> records = r.json();
        assertEquals(3, records.size());
        JsonNode predictions = records.get(0).get("predictions");
        assertEquals(predictions.get(0).get("index").asInt(), records.get(0).get("target").get("index").asInt());
        assertEquals(predictions.get(1).get("index").asInt(), records.get(1).get("target").get("index").asInt());
        assertEquals(281, records.get(2).get("target").get("index").asInt());
        assertEquals("smoothgrad", records.get(2).get("method").asText());
        assertTrue(Files.exists(out.resolve("chelsea-281.png")));
    }

    @Test
    void badModelsAreOneLineAndExitOne() throws Exception {
        Path text = Files.writeString(dir.resolve("model.txt"), "hello");
        Run r = run("explain", "--model", text.toString(), "--image", chelsea.toString());
        assertEquals(1, r.exit());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().contains("model.txt: not a TorchScript model file"), r.err());
        Path identity = dir.resolve("identity.pt");
        TestModels.identity(identity);
        Run notClassifier = run("explain", "--model", identity.toString(), "--image", chelsea.toString());
        assertEquals(1, notClassifier.exit());
        assertTrue(notClassifier.err().contains("not an image classifier"), notClassifier.err());
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        assertUsage(run("explain", "--model", model.toString(), "--image", chelsea.toString(), "--score", "odds"), "--score", "odds");
        assertUsage(run("explain", "--model", model.toString(), "--image", chelsea.toString(), "--frobnicate"), "--frobnicate");
        assertUsage(run("explain", "--model", model.toString(), "--image", chelsea.toString(), "--normalize", "percentile:x"), "--normalize");
        assertUsage(run("explain", "--model", model.toString(), "--image", chelsea.toString(), "--render", "3d"), "--render");
        assertUsage(run("explain", "--model", model.toString(), "--image", chelsea.toString(), "--alpha", "2"), "--alpha");
        assertUsage(run("explain", "--model", model.toString(), "--image", chelsea.toString(), "--target", "5000"), "out of range");
        assertUsage(run("explain", "--model", model.toString(), "--image", chelsea.toString(), "--target", "unicorn"), "unicorn");
        assertUsage(run("explain", "--model", model.toString(), "--image", chelsea.toString(), "--image",
                rocket.toString(), "--out", dir.resolve("same.png").toString()), "{name}");
        assertUsage(run("explain", "--model", model.toString(), "--image", chelsea.toString(), "--out",
                dir.resolve("x.gif").toString()), "unsupported output format");
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        Path text = Files.writeString(dir.resolve("model2.txt"), "hello");
        Run r = run("explain", "--model", text.toString(), "--image", chelsea.toString(), "--verbose");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    private static void assertUsage(Run r, String... fragments) {
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().strip().split("\n").length <= 2, r.err());
        for (String fragment : fragments) {
            assertTrue(r.err().contains(fragment), r.err());
        }
    }

    private static void assertNpyShape(Path file, String shape, int count) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String header = new String(bytes, 10, headerLength, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(header.contains("'shape': " + shape), header);
        assertEquals(10 + headerLength + 4L * count, bytes.length);
        assertArrayEquals(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}, java.util.Arrays.copyOf(bytes, 6));
    }

    private static Path copy(String name) throws Exception {
        try (InputStream in = ExplainCommandTest.class.getResourceAsStream("/org/saliency4j/" + name)) {
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }
}
