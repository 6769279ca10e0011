package org.saliency4j.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.saliency4j.ImageFormat;
import org.saliency4j.RenderKind;
import org.saliency4j.SaliencyException;

/**
 * Where each image's outputs go. A path may contain {@code {name}}, replaced by the image file's stem; without
 * it, several images would overwrite one file, which is refused before anything runs.
 */
final class OutputPaths {
    static final String NAME = "{name}";

    private final Path out;
    private final boolean outIsDirectory;

    private OutputPaths(Path out, boolean outIsDirectory) {
        this.out = out;
        this.outIsDirectory = outIsDirectory;
    }

    /**
     * @param out        the {@code --out} value as typed (a trailing slash names a directory, created if needed), or
     *                   null for {@code <stem>-saliency.png} in the working directory
     * @param imageCount how many images the run explains
     */
    static OutputPaths of(String out, int imageCount) {
        if (out == null) {
            return new OutputPaths(null, true);
        }
        // Path.of drops a trailing slash, so it is read from the text.
        Path path = Path.of(out);
        boolean directory = out.endsWith("/") || out.endsWith(File.separator) || Files.isDirectory(path);
        if (!directory) {
            ImageFormat.forFile(path);
            requireTemplate("--out", path, imageCount);
        }
        return new OutputPaths(path, directory);
    }

    /** Checks an optional per-image path such as {@code --raw-gradient}. */
    static void requireTemplate(String option, Path path, int imageCount) {
        if (path != null && imageCount > 1 && !path.toString().contains(NAME)) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, option,
                    imageCount + " images would all write " + path + "; put " + NAME + " in the path");
        }
    }

    /** The rendering's path; with several kinds per image, the kind is added before the extension. */
    Path rendering(String stem, RenderKind kind, boolean severalKinds) {
        Path path;
        if (outIsDirectory) {
            String file = stem + "-saliency.png";
            path = out == null ? Path.of(file) : out.resolve(file);
        } else {
            path = substitute(out, stem);
        }
        return severalKinds ? withSuffix(path, "-" + kind.name().toLowerCase(Locale.ROOT)) : path;
    }

    static Path substitute(Path template, String stem) {
        return Path.of(template.toString().replace(NAME, stem));
    }

    private static Path withSuffix(Path path, String suffix) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String renamed = dot > 0 ? name.substring(0, dot) + suffix + name.substring(dot) : name + suffix;
        return path.resolveSibling(renamed);
    }
}
