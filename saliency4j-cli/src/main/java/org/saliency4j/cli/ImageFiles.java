package org.saliency4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Expands the {@code --image} arguments: files as given, directories to their entries with an image file's
 * extension, in name order (not recursively).
 */
final class ImageFiles {
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp");

    /**
     * One argument's outcome: an image file to explain, or a directory that could not be listed ({@code problem}
     * says why), which fails in its turn while the other arguments still run.
     */
    record Entry(Path path, String problem) {
        boolean failed() {
            return problem != null;
        }
    }

    private ImageFiles() {
    }

    /** A path that does not exist, or is not a file, is kept, so that it is reported as a failed image in its turn. */
    static List<Entry> expand(List<Path> arguments) {
        List<Entry> entries = new ArrayList<>();
        for (Path argument : arguments) {
            if (!Files.isDirectory(argument)) {
                entries.add(new Entry(argument, null));
                continue;
            }
            try (Stream<Path> children = Files.list(argument)) {
                // Every entry named as an image but a directory: a FIFO, a device or a symlink loop named x.png is
                // kept, so that it is reported in its turn rather than skipped without a word.
                children.filter(ImageFiles::hasImageExtension).filter(child -> !Files.isDirectory(child)).sorted()
                        .forEach(file -> entries.add(new Entry(file, null)));
            } catch (IOException | RuntimeException e) {
                // Files.list throws IOException on opening, UncheckedIOException while reading the entries.
                Throwable cause = e.getCause() instanceof IOException io ? io : e;
                entries.add(new Entry(argument, "the directory cannot be listed (" + cause.getClass().getSimpleName()
                        + ": " + cause.getMessage() + ")"));
            }
        }
        return entries;
    }

    static String stem(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
