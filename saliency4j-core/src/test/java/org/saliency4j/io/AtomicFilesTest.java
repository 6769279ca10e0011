package org.saliency4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files are replaced whole or not at all, and no temporary file outlives a write. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesAFileWholeAndLeavesNothingElse() throws Exception {
        Path file = dir.resolve("new").resolve("out.bin");
        AtomicFiles.write(file, new byte[]{1, 2, 3});
        AtomicFiles.write(file, new byte[]{4, 5});
        assertArrayEquals(new byte[]{4, 5}, Files.readAllBytes(file));
        assertEquals(List.of("out.bin"), names(file.getParent()));
    }

    @Test
    void aFailedWriteLeavesWhatWasThereAndNoTemporary() throws Exception {
        // A non-empty directory cannot be replaced by a rename: the write fails after its bytes are written.
        Path occupied = Files.createDirectories(dir.resolve("occupied"));
        Files.write(occupied.resolve("inside"), new byte[]{9});
        assertThrows(IOException.class, () -> AtomicFiles.write(occupied, new byte[1000]));
        assertArrayEquals(new byte[]{9}, Files.readAllBytes(occupied.resolve("inside")));
        assertEquals(List.of("occupied"), names(dir));
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
