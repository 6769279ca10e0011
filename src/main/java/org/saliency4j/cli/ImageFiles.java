package org.saliency4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Expands the {@code --image} arguments: files as given, directories to their image files in name order. */
final class ImageFiles {
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp");

    private ImageFiles() {
    }

    /** A path that does not exist is kept, so that it is reported as a failed image in its turn. */
    static List<Path> expand(List<Path> arguments) throws IOException {
        List<Path> images = new ArrayList<>();
        for (Path argument : arguments) {
            if (Files.isDirectory(argument)) {
                try (Stream<Path> children = Files.list(argument)) {
                    children.filter(Files::isRegularFile).filter(ImageFiles::hasImageExtension).sorted()
                            .forEach(images::add);
                }
            } else {
                images.add(argument);
            }
        }
        return images;
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
