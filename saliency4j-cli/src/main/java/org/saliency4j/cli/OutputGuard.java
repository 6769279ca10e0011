package org.saliency4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.saliency4j.SaliencyException;

/**
 * Keeps a run's outputs from destroying anything: no output may be an input (the same file, however it is
 * reached: through symlinks, {@code ..}, another name), and no two outputs may share a file. Every planned output
 * is checked before any work, and each file is claimed again just before it is written, which covers the names
 * known only then (several targets add the resolved class index).
 */
final class OutputGuard {
    /** Colliding outputs listed in the refusal; the rest are counted. */
    private static final int LISTED = 3;

    /** The file keys (device and inode on POSIX) of the inputs that exist. */
    private final Set<Object> inputs = new HashSet<>();
    private final Map<Path, String> owners = new HashMap<>();

    /**
     * One file an image writes: the option that names it, its key in the JSON record ({@code overlay},
     * {@code raw_gradient}...), its path, and the image that writes it.
     */
    record Output(String option, String key, Path path, String image) {
        String owner() {
            return image + " (" + key + ")";
        }
    }

    OutputGuard(Collection<Path> inputFiles) {
        for (Path input : inputFiles) {
            Object key = fileKey(input);
            if (key != null) {
                inputs.add(key);
            }
        }
    }

    /**
     * Registers every output a run plans, before any work.
     *
     * @throws SaliencyException (an option error) listing the outputs that would overwrite an input or each other
     */
    void plan(List<Output> outputs) {
        List<String> problems = new ArrayList<>();
        String option = null;
        for (Output output : outputs) {
            String problem = problem(output);
            if (problem != null) {
                option = option == null ? output.option() : option;
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            String listed = String.join("; ", problems.subList(0, Math.min(LISTED, problems.size())));
            throw new SaliencyException(SaliencyException.Kind.OPTION, option, listed
                    + (problems.size() > LISTED ? "; and " + (problems.size() - LISTED) + " more" : "")
                    + " (an output never replaces an input or another output: rename the images or the outputs, or "
                    + "run the images separately)");
        }
    }

    /**
     * Claims one file just before it is written.
     *
     * @throws SaliencyException (an output error, failing only this image) when it is an input or another's output
     */
    void claim(Output output) {
        String problem = problem(output);
        if (problem != null) {
            throw new SaliencyException(SaliencyException.Kind.OUTPUT, output.path().toString(), problem);
        }
    }

    /** Registers the output and says what is wrong with it, or returns null. */
    private String problem(Output output) {
        Path file = canonical(output.path());
        Object key = fileKey(file);
        if (key != null && inputs.contains(key)) {
            return output.path() + " is an input; it would be overwritten";
        }
        String previous = owners.putIfAbsent(file, output.owner());
        if (previous != null && !previous.equals(output.owner())) {
            return output.path() + " would be written for both " + previous + " and " + output.owner();
        }
        return null;
    }

    /**
     * The path with its directory resolved to the real one where it exists, so that {@code a/../b/x.png} and a
     * symlinked directory name the same file as {@code b/x.png}.
     */
    private static Path canonical(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        try {
            return parent != null && Files.isDirectory(parent)
                    ? parent.toRealPath().resolve(absolute.getFileName()) : absolute;
        } catch (IOException e) {
            return absolute;
        }
    }

    /** The file's identity, following symlinks; null when it does not exist. */
    private static Object fileKey(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return Objects.requireNonNullElse(attributes.fileKey(), path.toRealPath());
        } catch (IOException e) {
            return null;
        }
    }
}
