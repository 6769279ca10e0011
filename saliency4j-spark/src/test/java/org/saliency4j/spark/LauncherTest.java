package org.saliency4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/saliency4j-spark, run from a copy of the project's layout (a built jar, its classpath file) with a {@code java}
 * on the PATH that prints what it was given: OpenCV's pixel limit follows {@code --max-pixels} in the JVM it starts
 * (the driver and, in local mode, the executor).
 */
class LauncherTest {
    @TempDir
    static Path root;

    @BeforeAll
    static void layout() throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("../bin/saliency4j-spark").toAbsolutePath().normalize(), bin.resolve("saliency4j-spark"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Path module = Files.createDirectories(root.resolve("saliency4j-spark/target"));
        Path pom = Files.writeString(root.resolve("saliency4j-spark/pom.xml"),
                "<spark.java.options>-Dspark.options=1</spark.java.options>\n");
        Files.setLastModifiedTime(pom, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.writeString(module.resolve("spark.classpath"), "spark.jar");
        Files.writeString(module.resolve("saliency4j-spark-0.1.0-SNAPSHOT.jar"), "");
        Path java = Files.createDirectories(root.resolve("fake-bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"OPENCV_IO_MAX_IMAGE_PIXELS=$OPENCV_IO_MAX_IMAGE_PIXELS\"\n"
                + "echo \"args: $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("bin/saliency4j-spark").toString(),
                "--master", "local[1]", "--output", "out"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("OPENCV_IO_MAX_IMAGE_PIXELS");
        builder.environment().put("PATH", root.resolve("fake-bin") + ":" + System.getenv("PATH"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        return out;
    }

    @Test
    void openCvsPixelLimitFollowsMaxPixels() throws Exception {
        String given = launch(Map.of(), "--max-pixels", "1000");
        assertTrue(given.contains("OPENCV_IO_MAX_IMAGE_PIXELS=1000\n"), given);
        assertTrue(given.contains("--output out --max-pixels 1000"), "the job gets the option too: " + given);
        String joined = launch(Map.of(), "--max-pixels=2000");
        assertTrue(joined.contains("OPENCV_IO_MAX_IMAGE_PIXELS=2000\n"), joined);
        assertTrue(joined.contains("--max-pixels=2000"), joined);
        assertTrue(launch(Map.of()).contains("OPENCV_IO_MAX_IMAGE_PIXELS=64000000\n"), "the library's default");
        assertTrue(launch(Map.of("OPENCV_IO_MAX_IMAGE_PIXELS", "5000"), "--max-pixels", "3000")
                .contains("OPENCV_IO_MAX_IMAGE_PIXELS=3000\n"), "--max-pixels wins over the environment");
        assertTrue(launch(Map.of("OPENCV_IO_MAX_IMAGE_PIXELS", "5000"))
                .contains("OPENCV_IO_MAX_IMAGE_PIXELS=5000\n"), "else the environment's is kept");
    }
}
