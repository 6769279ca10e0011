package org.saliency4j;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

/** Which class is explained: the k-th most probable, an index, or a class name. */
public sealed interface Target {

    /** The index of the class to explain, given the model's probabilities and its class names. */
    int resolve(float[] probabilities, ClassLabels labels);

    /**
     * Checks, before any image is run, that the target can exist for a model with these classes.
     *
     * @throws SaliencyException for an index out of range or an unknown name
     */
    default void validate(ClassLabels labels) {
        resolve(new float[labels.size()], labels);
    }

    static Target top1() {
        return new Ranked(1);
    }

    /** The class the model ranks {@code rank}-th (1 is the top prediction). */
    static Target ranked(int rank) {
        return new Ranked(rank);
    }

    static Target index(int index) {
        return new Index(index);
    }

    static Target named(String name) {
        return new Named(name);
    }

    /**
     * Parses a comma-separated list of targets: {@code topK} (the K most probable classes, most probable first),
     * {@code rankK} (the K-th most probable), class indices, class names. {@code top1} is the default.
     */
    static List<Target> parseAll(String text) {
        List<Target> targets = new ArrayList<>();
        // -1 keeps empty parts, so that ",," is refused as empty targets rather than read as none at all.
        for (String part : (text == null ? "" : text).split(",", -1)) {
            String t = part.trim();
            Matcher top = Options.TOP_TARGETS.matcher(t);
            if (top.matches()) {
                int k = Integer.parseInt(top.group(1));
                if (k < 1 || k > MAX_TARGETS) {
                    throw Vocabulary.TARGET.invalid("top" + k + " must name 1 to " + MAX_TARGETS + " classes");
                }
                for (int rank = 1; rank <= k; rank++) {
                    targets.add(ranked(rank));
                }
            } else {
                targets.add(parse(t));
            }
        }
        if (targets.size() > MAX_TARGETS) {
            throw Vocabulary.TARGET.invalid("at most " + MAX_TARGETS + " targets, got " + targets.size());
        }
        // The same target twice would explain one class twice into one output name.
        for (int i = 0; i < targets.size(); i++) {
            if (targets.subList(0, i).contains(targets.get(i))) {
                throw Vocabulary.TARGET.invalid("'" + targets.get(i) + "' is given more than once");
            }
        }
        return List.copyOf(targets);
    }

    /** The most targets one call explains. */
    int MAX_TARGETS = 64;

    /** Parses one target: {@code top1}, {@code rankK}, a non-negative integer, or a class name. */
    static Target parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw Vocabulary.TARGET.invalid("is empty (expected top1, a class index or a class name)");
        }
        if (t.equalsIgnoreCase("top1")) {
            return top1();
        }
        Matcher rank = Options.RANK_TARGET.matcher(t);
        if (rank.matches()) {
            return ranked(Integer.parseInt(rank.group(1)));
        }
        if (t.chars().allMatch(Character::isDigit)) {
            try {
                return index(Integer.parseInt(t));
            } catch (NumberFormatException e) {
                throw Vocabulary.TARGET.invalid("index " + t + " is too large");
            }
        }
        return named(t);
    }

    record Ranked(int rank) implements Target {
        public Ranked {
            if (rank < 1) {
                throw Vocabulary.TARGET.invalid("ranks start at 1, got " + rank);
            }
        }

        @Override
        public int resolve(float[] probabilities, ClassLabels labels) {
            if (rank > probabilities.length) {
                throw new SaliencyException(SaliencyException.Kind.TARGET, Vocabulary.TARGET.name(),
                        "rank " + rank + " is out of range: the model has " + probabilities.length + " classes");
            }
            return ClassRanking.mostProbableFirst(probabilities).skip(rank - 1L).findFirst().orElseThrow();
        }

        @Override
        public String toString() {
            return rank == 1 ? "top1" : "rank" + rank;
        }
    }

    record Index(int index) implements Target {
        public Index {
            if (index < 0) {
                throw Vocabulary.TARGET.invalid("index must not be negative, got " + index);
            }
        }

        @Override
        public int resolve(float[] probabilities, ClassLabels labels) {
            if (index >= probabilities.length) {
                throw new SaliencyException(SaliencyException.Kind.TARGET, Vocabulary.TARGET.name(),
                        "class index " + index + " is out of range: the model has " + probabilities.length
                                + " classes (0.." + (probabilities.length - 1) + ")");
            }
            return index;
        }

        @Override
        public String toString() {
            return Integer.toString(index);
        }
    }

    record Named(String name) implements Target {
        /** The class of that name: an exact match, else the only one ignoring case; several are refused. */
        @Override
        public int resolve(float[] probabilities, ClassLabels labels) {
            List<Integer> matches = labels.indicesOf(name);
            if (matches.isEmpty()) {
                throw new SaliencyException(SaliencyException.Kind.TARGET, Vocabulary.TARGET.name(),
                        "unknown class name '" + name + "' (the model's " + labels.size()
                                + " classes are named by " + (labels.size() == 1000 ? "ImageNet's list" : "its labels or by index") + ")");
            }
            if (matches.size() > 1) {
                throw new SaliencyException(SaliencyException.Kind.TARGET, Vocabulary.TARGET.name(), "class name '" + name
                        + "' matches " + matches.size() + " classes: " + matches.stream()
                        .map(i -> i + " '" + labels.name(i) + "'").collect(Collectors.joining(", "))
                        + "; give the index");
            }
            return matches.get(0);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
