package org.saliency4j;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Class names in index order: ImageNet's 1000 built in, a file of one name per line, or bare indices. */
public final class ClassLabels {
    private static final String IMAGENET_RESOURCE = "imagenet_classes.txt";
    /** Ample for any class list: ImageNet-21k's names take about 500 KB. */
    private static final int MAX_FILE_BYTES = 8 << 20;

    private final List<String> names;
    /** Indices by name as written, and by name ignoring case (ImageNet has "Cardigan", a corgi, and "cardigan"). */
    private final Map<String, List<Integer>> exact = new HashMap<>();
    private final Map<String, List<Integer>> ignoringCase = new HashMap<>();

    private ClassLabels(List<String> names) {
        this.names = List.copyOf(names);
        for (int i = 0; i < this.names.size(); i++) {
            String name = this.names.get(i).trim();
            exact.computeIfAbsent(name, k -> new ArrayList<>()).add(i);
            ignoringCase.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(i);
        }
    }

    /** The 1000 ImageNet-1k names in the order torchvision's and Keras' classifiers use. */
    public static ClassLabels imagenet() {
        try (InputStream in = ClassLabels.class.getResourceAsStream(IMAGENET_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the built-in ImageNet class names are missing from the jar");
            }
            return new ClassLabels(readLines(in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in ImageNet class names", e);
        }
    }

    /**
     * One name per line; blank lines at the end are ignored. A name given twice is refused: a target could not
     * tell the two classes apart. Only a regular file of at most {@value #MAX_FILE_BYTES} bytes is read.
     */
    public static ClassLabels fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            // Checked before opening: opening a FIFO would block, and a device may never end.
            throw new SaliencyException(SaliencyException.Kind.OPTION, file.toString(),
                    Files.exists(file) ? "the labels file is not a regular file" : "no such labels file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new SaliencyException(SaliencyException.Kind.OPTION, file.toString(),
                        "the labels file is larger than " + MAX_FILE_BYTES + " bytes");
            }
            List<String> lines = readLines(new ByteArrayInputStream(bytes));
            if (lines.isEmpty()) {
                throw new SaliencyException(SaliencyException.Kind.OPTION, file.toString(), "the labels file is empty");
            }
            int blank = lines.indexOf("");
            if (blank >= 0) {
                throw new SaliencyException(SaliencyException.Kind.OPTION, file.toString(),
                        "line " + (blank + 1) + " of the labels file is empty: every class needs a name");
            }
            ClassLabels labels = new ClassLabels(lines);
            String duplicates = labels.exact.entrySet().stream().filter(e -> e.getValue().size() > 1)
                    .sorted(Comparator.comparing(e -> e.getValue().get(0)))
                    .map(e -> "'" + e.getKey() + "' (lines " + e.getValue().stream().map(i -> Integer.toString(i + 1))
                            .collect(Collectors.joining(", ")) + ")")
                    .collect(Collectors.joining(", "));
            if (!duplicates.isEmpty()) {
                throw new SaliencyException(SaliencyException.Kind.OPTION, file.toString(),
                        "the labels file names classes more than once: " + duplicates);
            }
            return labels;
        } catch (CharacterCodingException e) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, file.toString(),
                    "cannot read the labels file: it is not UTF-8 text");
        } catch (IOException e) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, file.toString(),
                    "cannot read the labels file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    /** Names that are the indices themselves, for a model whose classes have no names. */
    public static ClassLabels indices(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(Integer.toString(i));
        }
        return new ClassLabels(names);
    }

    public static ClassLabels of(List<String> names) {
        return new ClassLabels(names);
    }

    /** The names in index order. */
    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    public String name(int index) {
        return names.get(index);
    }

    /**
     * The classes a name may mean, ignoring surrounding spaces: those named exactly so, else those named so ignoring
     * case; empty when there is none. More than one means the name is ambiguous.
     */
    public List<Integer> indicesOf(String name) {
        String trimmed = name.trim();
        List<Integer> matches = exact.get(trimmed);
        if (matches == null) {
            matches = ignoringCase.getOrDefault(trimmed.toLowerCase(Locale.ROOT), List.of());
        }
        return List.copyOf(matches);
    }

    private static List<String> readLines(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        // Bytes that are not UTF-8 are an error, not names with replacement characters in them.
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line.strip());
            }
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
