package org.saliency4j;

/** Which class is explained: the top prediction, an index, or a class name. */
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
        return new Top1();
    }

    static Target index(int index) {
        return new Index(index);
    }

    static Target named(String name) {
        return new Named(name);
    }

    /** Parses {@code top1}, a non-negative integer, or a class name. */
    static Target parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw Options.invalid("target", "is empty (expected top1, a class index or a class name)");
        }
        if (t.equalsIgnoreCase("top1")) {
            return top1();
        }
        if (t.chars().allMatch(Character::isDigit)) {
            try {
                return index(Integer.parseInt(t));
            } catch (NumberFormatException e) {
                throw Options.invalid("target", "index " + t + " is too large");
            }
        }
        return named(t);
    }

    record Top1() implements Target {
        @Override
        public int resolve(float[] probabilities, ClassLabels labels) {
            int best = 0;
            for (int i = 1; i < probabilities.length; i++) {
                if (probabilities[i] > probabilities[best]) {
                    best = i;
                }
            }
            return best;
        }

        @Override
        public String toString() {
            return "top1";
        }
    }

    record Index(int index) implements Target {
        public Index {
            if (index < 0) {
                throw Options.invalid("target", "index must not be negative, got " + index);
            }
        }

        @Override
        public int resolve(float[] probabilities, ClassLabels labels) {
            if (index >= probabilities.length) {
                throw new SaliencyException(SaliencyException.Kind.TARGET, "--target",
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
        @Override
        public int resolve(float[] probabilities, ClassLabels labels) {
            int index = labels.indexOf(name);
            if (index < 0) {
                throw new SaliencyException(SaliencyException.Kind.TARGET, "--target",
                        "unknown class name '" + name + "' (the model's " + labels.size()
                                + " classes are named by " + (labels.size() == 1000 ? "ImageNet's list" : "--labels or by index") + ")");
            }
            return index;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
