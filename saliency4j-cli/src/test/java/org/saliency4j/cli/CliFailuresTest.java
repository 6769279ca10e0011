package org.saliency4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.cli.ExplainCommandTest.Run;
import org.saliency4j.internal.torch.HostileModels;
import org.saliency4j.internal.torch.TestModels;

/**
 * Issue 9, items 6, 9 and 10: one bad input (a FIFO, a device, an unreadable directory, an image the model fails
 * on) fails alone on one line naming it; a model's own trouble is named with its cause; usage errors exit 2.
 */
class CliFailuresTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path white;
    static Path black;
    static Path usageOut;

    @BeforeAll
    static void setUp() throws Exception {
        model = dir.resolve("conv1000.pt");
        TestModels.convNet(model, 8, 1000, 5);
        white = png(dir.resolve("white.png"), 0xFFFFFF);
        black = png(dir.resolve("black.png"), 0x000000);
        usageOut = Files.createDirectories(dir.resolve("usage-out"));
    }

    @Test
    void aFifoAndADeviceAreRefusedWithoutReadingAndTheOtherImagesRun() throws Exception {
        Path fifo = dir.resolve("pipe.png");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            mkfifo = null;
        }
        assumeTrue(mkfifo != null && mkfifo.waitFor() == 0, "mkfifo is not available here");
        Path out = dir.resolve("fifo-out");
        // Reading the FIFO blocked forever before, and /dev/zero filled the heap.
        Run r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ExplainCommandTest.run("explain",
                "--model", model.toString(), "--image", black.toString(), "--image", fifo.toString(),
                "--image", "/dev/zero", "--image", white.toString(), "--out", out.resolve("{name}.png").toString()));
        assertEquals(1, r.exit(), r.err());
        List<String> errors = r.err().strip().lines().toList();
        assertEquals(3, errors.size(), r.err());
        assertTrue(errors.get(0).contains(fifo + ": is not a regular file"), errors.get(0));
        assertTrue(errors.get(1).contains("/dev/zero: is not a regular file"), errors.get(1));
        assertTrue(errors.get(2).contains("2 of 4 images failed"), errors.get(2));
        assertTrue(Files.size(out.resolve("black.png")) > 0);
        assertTrue(Files.size(out.resolve("white.png")) > 0);
    }

    @Test
    void aDirectorysFifosAndSymlinkLoopsAreReportedNotSkipped() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("mixed"));
        Files.copy(black, folder.resolve("a.png"));
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", folder.resolve("pipe.png").toString()).start();
        } catch (IOException e) {
            mkfifo = null;
        }
        assumeTrue(mkfifo != null && mkfifo.waitFor() == 0, "mkfifo is not available here");
        Files.createSymbolicLink(folder.resolve("loop1.png"), Path.of("loop2.png"));
        Files.createSymbolicLink(folder.resolve("loop2.png"), Path.of("loop1.png"));
        Files.createSymbolicLink(folder.resolve("zero.png"), Path.of("/dev/zero"));
        Files.createDirectories(folder.resolve("sub.png"));
        Path out = dir.resolve("mixed-out");
        // Listed only regular files before: the FIFO, the loop and the device were skipped without a word.
        Run r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ExplainCommandTest.run("explain",
                "--model", model.toString(), "--image", folder.toString(), "--out", out + "/"));
        assertEquals(1, r.exit(), r.err());
        List<String> errors = r.err().strip().lines().toList();
        assertEquals(5, errors.size(), r.err());
        for (String name : List.of("loop1.png", "loop2.png", "pipe.png", "zero.png")) {
            assertTrue(errors.stream().anyMatch(line -> line.contains(folder.resolve(name).toString())), name);
        }
        assertTrue(errors.get(4).contains("4 of 5 images failed"), errors.get(4));
        assertTrue(Files.size(out.resolve("a-saliency.png")) > 0);
    }

    @Test
    void anUnreadableDirectoryIsOneFailedInputAndTheOthersRun() throws Exception {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Files.copy(black, locked.resolve("inside.png"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Path unreadable = listingFails(locked) ? locked
                // Root reads any mode; /proc/1/map_files is a directory that a container's root may not list.
                : listingFails(Path.of("/proc/1/map_files")) ? Path.of("/proc/1/map_files") : null;
        try {
            assumeTrue(unreadable != null, "no directory here that this user cannot list");
            Path out = dir.resolve("locked-out");
            Run r = ExplainCommandTest.run("explain", "--model", model.toString(), "--image", unreadable.toString(),
                    "--image", white.toString(), "--out", out.resolve("{name}.png").toString(), "--json");
            assertEquals(1, r.exit(), r.err());
            List<String> errors = r.err().strip().lines().toList();
            assertEquals(2, errors.size(), r.err());
            assertTrue(errors.get(0).contains(unreadable + ": the directory cannot be listed"), errors.get(0));
            assertTrue(errors.get(1).contains("1 of 2 images failed"), errors.get(1));
            List<JsonNode> records = new Run(r.exit(), r.out(), r.err()).json();
            assertFalse(records.get(0).get("ok").asBoolean());
            assertEquals(white.toString(), records.get(1).get("image").asText());
            assertTrue(Files.size(out.resolve("white.png")) > 0);
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aModelThatRaisesOnOneImageFailsThatImageWithTheModelsOwnMessage() throws Exception {
        Path raising = dir.resolve("raising.pt");
        HostileModels.raisesWhenBright(raising, 4, "the message");
        Path images = imagesWhiteFirst("raising-images");
        Path out = dir.resolve("raising-out");
        Run r = ExplainCommandTest.run("explain", "--model", raising.toString(), "--image", images.toString(),
                "--out", out.resolve("{name}.png").toString());
        assertEquals(1, r.exit(), r.err());
        List<String> errors = r.err().strip().lines().toList();
        assertEquals(2, errors.size(), r.err());
        String line = errors.get(0);
        assertTrue(line.startsWith("saliency4j: " + images.resolve("a-white.png") + ": model " + raising), line);
        assertTrue(line.contains("RuntimeError: the message"), line);
        assertTrue(errors.get(1).contains("1 of 2 images failed"), errors.get(1));
        assertTrue(Files.size(out.resolve("b-black.png")) > 0, "the image after the failed one still ran");
    }

    @Test
    void nanScoresFailTheImageNamingTheModelInsteadOfReportingNaN() throws Exception {
        Path nan = dir.resolve("nan.pt");
        HostileModels.nanWhenBright(nan, 4);
        Path images = imagesWhiteFirst("nan-images");
        Run r = ExplainCommandTest.run("explain", "--model", nan.toString(), "--image", images.toString(),
                "--out", dir.resolve("nan-out").resolve("{name}.png").toString(), "--json");
        assertEquals(1, r.exit(), r.err());
        List<JsonNode> records = r.json();
        assertFalse(records.get(0).get("ok").asBoolean());
        String error = records.get(0).get("error").asText();
        assertTrue(error.contains("a-white.png: model " + nan + ": non-finite scores for this input (NaN)"), error);
        assertTrue(records.get(1).get("predictions").get(0).get("probability").isNumber());
    }

    @Test
    void aModelWithoutGradientIsOneLineNamingIt() throws Exception {
        Path detached = dir.resolve("detached.pt");
        HostileModels.detached(detached, 4);
        Run r = ExplainCommandTest.run("explain", "--model", detached.toString(), "--image", black.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(List.of("saliency4j: " + detached + ": its scores do not depend on the input: no gradient"),
                r.err().strip().lines().toList());
        Run verbose = ExplainCommandTest.run("explain", "--model", detached.toString(), "--image", black.toString(),
                "--verbose");
        assertTrue(verbose.err().contains("\tat "), verbose.err());
    }

    @Test
    void aZipBombInTheModelCardIsRefusedNamingTheModel() throws Exception {
        Path bomb = dir.resolve("bomb.pt");
        // 768 MiB of spaces inflated, about 750 KB deflated: beyond the 512 MB test heap.
        HostileModels.cardBomb(bomb, 768L << 20);
        Run r = ExplainCommandTest.run("explain", "--model", bomb.toString(), "--image", black.toString());
        assertEquals(1, r.exit(), r.err());
        List<String> errors = r.err().strip().lines().toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).startsWith("saliency4j: " + bomb + ": its model card (saliency4j.json) is too large"),
                errors.get(0));
    }

    @Test
    void emptyTargetsAreAUsageError() {
        assertUsage(run("--target", ",,"), "--target: is empty");
        assertUsage(run("--target", "5000"), "--target: class index 5000 is out of range");
    }

    @Test
    void anEmptyBenchSweepIsAUsageError() {
        assertUsage(ExplainCommandTest.run("bench", "--batch", ",,"), "--batch: needs at least one value");
    }

    @Test
    void theThreadCountIsBounded() {
        assertUsage(run("--threads", "100000"), "--threads: must be between 0 and");
    }

    @Test
    void aLabelsFileNamingAClassTwiceIsRefused() throws Exception {
        Path duplicates = Files.writeString(dir.resolve("duplicates.txt"), "cat\ndog\ncat\nbird\n");
        assertUsage(run("--labels", duplicates.toString()), "'cat' (lines 1, 3)");
    }

    @Test
    void aLabelsFileWithABlankNameOrBytesThatAreNotUtf8IsRefused() throws Exception {
        Path blank = Files.writeString(dir.resolve("blank.txt"), "cat\n\nbird\n");
        assertUsage(run("--labels", blank.toString()), "line 2 of the labels file is empty");
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[]{'c', 'a', 'f', (byte) 0xe9, '\n'});
        assertUsage(run("--labels", latin1.toString()), "cannot read the labels file");
    }

    @Test
    void aLabelsFileOfTheWrongLengthIsRefused() throws Exception {
        Path three = Files.writeString(dir.resolve("three.txt"), "cat\ndog\nbird\n");
        assertUsage(run("--labels", three.toString()), "--labels: the labels name 3 classes, but the model has 1000");
    }

    @Test
    void aTargetGivenTwiceIsAUsageError() throws Exception {
        // It was reported as two images writing one file, for one image.
        assertUsage(run("--target", "3,3"), "--target: '3' is given more than once");
        assertUsage(run("--target", "top1,rank1"), "--target: 'top1' is given more than once");
    }

    @Test
    void anExactClassNameWinsAndAnAmbiguousOneIsListed() throws Exception {
        // ImageNet's 264 is "Cardigan" (the corgi), 474 "cardigan" (the sweater).
        Run exact = run("--target", "cardigan", "--json");
        assertEquals(0, exact.exit(), exact.err());
        assertEquals(474, exact.json().get(0).get("target").get("index").asInt());
        assertEquals(264, run("--target", "Cardigan", "--json").json().get(0).get("target").get("index").asInt());
        assertEquals(291, run("--target", "LION", "--json").json().get(0).get("target").get("index").asInt());
        assertUsage(run("--target", "CARDIGAN"), "--target: class name 'CARDIGAN' matches 2 classes",
                "264 'Cardigan'", "474 'cardigan'");
    }

    @Test
    void verboseIsAnOptionOfEveryCommand() {
        for (String[] command : new String[][]{{"bench"}, {"model", "layers"}, {"eval", "pointing-game"},
                {"eval", "sanity"}, {"serve"}, {"model", "build", "demo", "--out", "x.pt"}}) {
            String[] args = Stream.concat(Arrays.stream(command), Stream.of("--threads", "100000", "--verbose"))
                    .toArray(String[]::new);
            Run r = ExplainCommandTest.run(args);
            assertEquals(2, r.exit(), String.join(" ", command) + ": " + r.err());
            assertTrue(r.err().contains("--threads: must be between 0 and"), r.err());
            assertTrue(r.err().contains("\tat "), String.join(" ", command) + ": " + r.err());
        }
    }

    private static Run run(String... options) {
        return ExplainCommandTest.run(Stream.concat(Stream.of("explain", "--model", model.toString(), "--image",
                black.toString(), "--out", usageOut.toString()), Arrays.stream(options))
                .toArray(String[]::new));
    }

    private static void assertUsage(Run r, String... fragments) {
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().strip().lines().count() <= 2, r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        for (String fragment : fragments) {
            assertTrue(r.err().contains(fragment), r.err());
        }
    }

    /** A directory with a white image, on which the hostile models fail, before a black one. */
    private static Path imagesWhiteFirst(String name) throws IOException {
        Path images = Files.createDirectories(dir.resolve(name));
        Files.copy(white, images.resolve("a-white.png"));
        Files.copy(black, images.resolve("b-black.png"));
        return images;
    }

    private static boolean listingFails(Path directory) {
        try (Stream<Path> children = Files.list(directory)) {
            children.count();
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    static Path png(Path file, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
