package org.saliency4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.internal.image.Renderer;
import org.saliency4j.internal.torch.TestModels;
import org.saliency4j.io.PictureEncoder;
import org.saliency4j.models.ShapesTask;

/**
 * A folder explained by several workers gives what one worker gives, byte for byte and line for line, in the
 * folder's order, and a bad image among good ones still fails only itself.
 */
class FolderWorkersTest {
    private static final int IMAGES = 9;
    private static final String BROKEN = "image-4b.png";

    @TempDir
    static Path dir;
    static Path model;
    static Path folder;

    @BeforeAll
    static void setUp() throws Exception {
        model = dir.resolve("conv1000.pt");
        TestModels.convNet(model, 8, 1000, 5);
        folder = Files.createDirectory(dir.resolve("images"));
        ShapesTask task = new ShapesTask(7);
        for (int i = 0; i < IMAGES; i++) {
            // Sizes differ, so the workers' images take different times and finish out of order.
            int factor = 1 + i % 4;
            Files.write(folder.resolve(String.format(Locale.ROOT, "image-%d.png", i)),
                    PictureEncoder.png(Renderer.enlarge(task.sample(i).image(), factor, Long.MAX_VALUE)));
        }
        Files.write(folder.resolve(BROKEN), new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    }

    private static ExplainCommandTest.Run explain(String workers, Path out) {
        return ExplainCommandTest.run("explain", "--model", model.toString(), "--image", folder.toString(),
                "--device", "cpu", "--threads", "1", "--workers", workers, "--json", "--target", "top1,rank2",
                "--render", "all", "--out", out + "/", "--raw-gradient", out.resolve("{name}.npy").toString());
    }

    @Test
    void severalWorkersWriteAndReportWhatOneWorkerDoes() throws Exception {
        Path one = dir.resolve("one");
        Path three = dir.resolve("three");
        ExplainCommandTest.Run serial = explain("1", one);
        ExplainCommandTest.Run parallel = explain("3", three);

        assertEquals(1, serial.exit(), serial.err());
        assertEquals(serial.exit(), parallel.exit());
        assertEquals(serial.err(), parallel.err(), "the same failure, reported alike");
        assertTrue(parallel.err().contains(BROKEN), parallel.err());
        assertTrue(parallel.err().contains("1 of " + (IMAGES + 1) + " images failed"), parallel.err());

        List<JsonNode> lines = parallel.json();
        assertEquals(serial.json().size(), lines.size());
        assertEquals(2 * IMAGES + 1, lines.size(), "two targets per good image, one line for the bad one");
        List<String> images = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(comparable(serial.json().get(i), one), comparable(lines.get(i), three), "line " + i);
            images.add(Path.of(lines.get(i).get("image").asText()).getFileName().toString());
        }
        List<String> inOrder = new ArrayList<>(images);
        inOrder.sort(null);
        assertEquals(inOrder, images, "the folder's order");
        assertTrue(lines.get(10).has("error") && images.get(10).equals(BROKEN), lines.get(10).toString());

        List<Path> written = files(one);
        assertEquals(IMAGES * 2 * 4, written.size(), "three renderings and a gradient per target");
        assertEquals(written.stream().map(Path::getFileName).toList(),
                files(three).stream().map(Path::getFileName).toList());
        for (Path file : written) {
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(three.resolve(file.getFileName())),
                    file.getFileName().toString());
        }
    }

    /** A record without what differs by run (its timings) or by the output directory named. */
    private static String comparable(JsonNode line, Path out) {
        ObjectNode copy = line.deepCopy();
        copy.remove("timings_ms");
        return copy.toString().replace(out.toString(), "OUT");
    }

    private static List<Path> files(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
