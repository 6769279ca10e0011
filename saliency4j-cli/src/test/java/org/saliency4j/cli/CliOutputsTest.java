package org.saliency4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.cli.ExplainCommandTest.Run;
import org.saliency4j.internal.torch.TestModels;

/** Issue 9, item 7: no output replaces an input or another output, and none is left half written. */
class CliOutputsTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path photo;

    @BeforeAll
    static void setUp() throws Exception {
        model = dir.resolve("conv10.pt");
        TestModels.convNet(model, 8, 10, 5);
        photo = CliFailuresTest.png(dir.resolve("photo.png"), 0x336699);
    }

    @Test
    void imagesWhoseOutputsShareANameAreRefusedBeforeAnyWork() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.copy(photo, a.resolve("x.png"));
        CliFailuresTest.png(b.resolve("x.jpg"), 0x996633);
        Path out = Files.createDirectories(dir.resolve("shared-out"));
        Run r = explain("--image", a.resolve("x.png").toString(), "--image", b.resolve("x.jpg").toString(),
                "--out", out.toString());
        assertRefused(r, out.resolve("x-saliency.png") + " would be written for both " + a.resolve("x.png")
                + " (overlay) and " + b.resolve("x.jpg") + " (overlay)");
        assertEmpty(out);

        Path folder = Files.createDirectories(dir.resolve("folder"));
        Files.copy(photo, folder.resolve("x.png"));
        Files.copy(b.resolve("x.jpg"), folder.resolve("x.jpg"));
        assertRefused(explain("--image", folder.toString(), "--out", out.resolve("{name}.png").toString()),
                folder.resolve("x.jpg") + " (overlay) and " + folder.resolve("x.png"));

        assertRefused(explain("--image", photo.toString(), "--raw-gradient", out.resolve("g.npy").toString(),
                "--saliency-npy", out.resolve("g.npy").toString()), "--saliency-npy: ",
                out.resolve("g.npy") + " would be written for both " + photo + " (raw_gradient) and " + photo
                        + " (saliency_npy)");
        assertEmpty(out);
    }

    private static void assertEmpty(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(), files.toList(), "nothing was written");
        }
    }

    @Test
    void anOutputThatIsAnInputIsRefusedHoweverItIsNamed() throws Exception {
        byte[] image = Files.readAllBytes(photo);
        byte[] weights = Files.readAllBytes(model);
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path link = Files.createSymbolicLink(dir.resolve("link.png"), photo);
        // Also through a directory that does not exist: sub/missing/.. is sub.
        for (Path same : List.of(photo, sub.resolve("..").resolve("photo.png"), link,
                sub.resolve("missing").resolve("..").resolve("..").resolve("photo.png"))) {
            assertRefused(explain("--image", photo.toString(), "--out", same.toString()),
                    "--out: " + same + " is an input");
        }
        assertRefused(explain("--image", photo.toString(), "--out", sub.resolve("ok.png").toString(),
                "--save-input", model.toString()), "--save-input: " + model + " is an input");
        assertArrayEquals(image, Files.readAllBytes(photo));
        assertArrayEquals(weights, Files.readAllBytes(model));
        assertFalse(Files.exists(sub.resolve("ok.png")));
    }

    @Test
    void aTrailingSlashNamesADirectoryToCreate() throws Exception {
        Path fresh = dir.resolve("fresh").resolve("maps");
        Run r = explain("--image", photo.toString(), "--out", fresh + "/", "--target", "3,2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.size(fresh.resolve("photo-3-saliency.png")) > 0);
        try (Stream<Path> files = Files.list(fresh)) {
            assertEquals(List.of("photo-2-saliency.png", "photo-3-saliency.png"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "one file a target, no temporary left");
        }
    }

    /**
     * A disk that fills while an output is replaced leaves the previous file whole: the new one was written to a
     * temporary name and would only have been renamed onto it once complete. The first run writes a small gradient
     * (a 64x64 input), the second a larger one (224x224) that does not fit even in the space the old file frees.
     * Needs a small tmpfs, so root.
     */
    @Test
    void aFullDiskLeavesThePreviousOutputWhole() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        assumeTrue(command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString()),
                "cannot mount a small tmpfs here (not root?)");
        try {
            Path gradient = disk.resolve("g.npy");
            Path rendering = dir.resolve("full-disk.png");
            Run first = explain("--image", photo.toString(), "--out", rendering.toString(), "--raw-gradient",
                    gradient.toString(), "--input-size", "64");
            assertEquals(0, first.exit(), first.err());
            byte[] good = Files.readAllBytes(gradient);
            assertEquals(128 + 4 * 3 * 64 * 64, good.length, "a whole (3, 64, 64) float32 file");
            long free = Files.getFileStore(disk).getUsableSpace();
            Files.write(disk.resolve("filler"), new byte[(int) Math.max(0, free - 64 * 1024)]);
            Run second = explain("--image", photo.toString(), "--out", rendering.toString(), "--raw-gradient",
                    gradient.toString());
            assertEquals(1, second.exit(), second.err());
            assertTrue(second.err().contains(gradient + ": cannot be written"), second.err());
            assertArrayEquals(good, Files.readAllBytes(gradient));
            try (Stream<Path> files = Files.list(disk)) {
                assertEquals(List.of("filler", "g.npy"),
                        files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary left");
            }
        } finally {
            command("umount", disk.toString());
        }
    }

    private static boolean command(String... command) throws InterruptedException {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static Run explain(String... options) {
        return ExplainCommandTest.run(Stream.concat(Stream.of("explain", "--model", model.toString()),
                Stream.of(options)).toArray(String[]::new));
    }

    private static void assertRefused(Run r, String... fragments) {
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().strip().lines().count() <= 2, r.err());
        for (String fragment : fragments) {
            assertTrue(r.err().contains(fragment), r.err());
        }
    }
}
