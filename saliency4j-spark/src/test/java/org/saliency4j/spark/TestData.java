package org.saliency4j.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.saliency4j.internal.image.TestImages;
import org.saliency4j.models.ShapesTask;

/** Folders of images for the tests: good ones from the demo task, and hostile ones. */
final class TestData {
    /**
     * Files the library must refuse, each for its own reason. (An empty file is not among them: Spark's binaryFile
     * source skips empty files, so the tests add rows of empty and missing bytes themselves.)
     */
    static final List<String> HOSTILE = List.of("truncated.png", "text.jpg", "bomb.png");

    private TestData() {
    }

    /** {@code count} PNGs of the demo task (fixed seed), named good-N.png. */
    static void writeGood(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        ShapesTask task = new ShapesTask(7);
        for (int i = 0; i < count; i++) {
            Files.write(dir.resolve("good-" + i + ".png"), TestImages.encode(task.sample(i).image(), ".png"));
        }
    }

    /**
     * A PNG cut in half, text named .jpg, and a PNG whose header declares 20000 x 20000 pixels
     * (400 megapixels, over the default limit) over a few hundred KB.
     */
    static void writeHostile(Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] png = TestImages.encode(new ShapesTask(8).sample(0).image(), ".png");
        Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        Files.write(dir.resolve("text.jpg"), "not an image\n".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("bomb.png"), TestImages.pngBomb(20_000, 20_000));
    }
}
