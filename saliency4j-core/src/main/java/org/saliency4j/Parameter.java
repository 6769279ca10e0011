package org.saliency4j;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One parameter of the vocabulary that the library, the command line and the service share: its neutral name
 * ({@code topk}; the command line shows it as {@code --topk}, the service reads {@code ?topk=}), its default written
 * once as text, its bounds, what it means, and the parser that turns text into a value. Every error it raises is a
 * {@link SaliencyException} of kind {@link SaliencyException.Kind#OPTION} whose {@link SaliencyException#input()} is
 * the name.
 *
 * <p>A default that the model decides (the input size, taken from the model card) has a note saying so, which
 * help texts show instead of the text; front ends then pass nothing and let the model decide, and the text, where
 * there is one, is the value that applies without a model card.
 *
 * <p>Immutable: the {@code with...} methods and {@link #atMost} return copies, so a front end can tighten a bound
 * or reword the help of a shared parameter without changing it for the others. {@link Vocabulary} lists the
 * parameters of a request, its rendering and a model's loading.
 *
 * @param <T> the type of the parameter's values
 */
public final class Parameter<T> {
    /** The text of a value chosen from the data ({@link #decimalOrAuto}). */
    public static final String AUTO = "auto";
    private final String name;
    private final Class<T> type;
    /** Reads text under the parameter's bounds (a whole number is checked before it is narrowed to an int). */
    private final BiFunction<String, Bounds, T> parser;
    private final Bounds bounds;
    private final String defaultText;
    private final String defaultNote;
    private final String help;
    /** The value that stands for {@value #AUTO}, outside the bounds ({@link #countOrAuto}); null for none. */
    private final T autoValue;

    private Parameter(String name, Class<T> type, BiFunction<String, Bounds, T> parser, Bounds bounds,
                      String defaultText, String defaultNote, String help) {
        this(name, type, parser, bounds, defaultText, defaultNote, help, null);
    }

    private Parameter(String name, Class<T> type, BiFunction<String, Bounds, T> parser, Bounds bounds,
                      String defaultText, String defaultNote, String help, T autoValue) {
        this.name = Objects.requireNonNull(name);
        this.type = Objects.requireNonNull(type);
        this.parser = Objects.requireNonNull(parser);
        this.bounds = bounds;
        this.defaultText = defaultText;
        this.defaultNote = defaultNote;
        this.help = Objects.requireNonNull(help);
        this.autoValue = autoValue;
    }

    /**
     * The range a number must lie in.
     *
     * @param min     the lowest value, {@code -Infinity} for none
     * @param openMin whether {@code min} itself is refused (a positive number)
     * @param max     the highest value, {@code Infinity} for none
     */
    public record Bounds(double min, boolean openMin, double max) {
        public boolean contains(double value) {
            return (openMin ? value > min : value >= min) && value <= max;
        }

        /** What an error says a value must be: "must be between 8 and 4096", "must be in [0, 1]", ... */
        String requirement(boolean integral) {
            boolean hasMax = max < Double.POSITIVE_INFINITY;
            if (openMin) {
                return min == 0 && !hasMax ? "must be positive" : "must be above " + text(min);
            }
            if (!hasMax) {
                return min == 0 ? "must not be negative" : "must be at least " + text(min);
            }
            return integral ? "must be between " + text(min) + " and " + text(max)
                    : "must be in [" + text(min) + ", " + text(max) + "]";
        }

        private static String text(double value) {
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                    : Double.toString(value);
        }
    }

    /** A whole number in [min, max]; {@code Integer.MAX_VALUE} for max means no maximum. */
    public static Parameter<Integer> integer(String name, int min, int max) {
        Bounds bounds = wholeBounds(min, max, Integer.MAX_VALUE);
        return new Parameter<>(name, Integer.class, (text, within) -> wholeNumber(name, text, within).intValue(),
                bounds, null, null, "");
    }

    /** A whole number in [min, max], as a long (pixel counts, seeds); {@code Long.MAX_VALUE} means no maximum. */
    public static Parameter<Long> longInteger(String name, long min, long max) {
        Bounds bounds = wholeBounds(min, max, Long.MAX_VALUE);
        return new Parameter<>(name, Long.class, (text, within) -> wholeNumber(name, text, within), bounds, null, null,
                "");
    }

    /** A finite number in [min, max]; infinite bounds leave that side open. */
    public static Parameter<Double> decimal(String name, double min, double max) {
        return new Parameter<>(name, Double.class, (text, within) -> finite(name, text), new Bounds(min, false, max),
                null, null, "");
    }

    /**
     * A finite number, or {@value #AUTO} (read as NaN) for a value chosen from the data: bounds are the reader's to
     * check, since they depend on that choice.
     */
    public static Parameter<Double> decimalOrAuto(String name) {
        return new Parameter<>(name, Double.class, (text, within) -> text != null && text.trim().equalsIgnoreCase(AUTO)
                ? Double.NaN : finite(name, text), null, null, null, "");
    }

    /** What {@value #AUTO} reads as in a {@link #countOrAuto} parameter: no count is 0. */
    public static final int AUTO_COUNT = 0;

    /**
     * A whole number in [1, max], or {@value #AUTO} (read as {@link #AUTO_COUNT}) for a count the reader chooses
     * from the data: integrated gradients' steps, doubled until they converge.
     */
    public static Parameter<Integer> countOrAuto(String name, int max) {
        return new Parameter<>(name, Integer.class, (text, within) -> text != null
                && text.trim().equalsIgnoreCase(AUTO) ? AUTO_COUNT : wholeNumber(name, text, within).intValue(),
                wholeBounds(1, max, Integer.MAX_VALUE), null, null, "", AUTO_COUNT);
    }

    /** A finite number above zero. */
    public static Parameter<Double> positive(String name) {
        return new Parameter<>(name, Double.class, (text, within) -> finite(name, text),
                new Bounds(0, true, Double.POSITIVE_INFINITY), null, null, "");
    }

    /** One of an enum's constants, written in lower case with {@code -} for {@code _} ({@code abs-max}). */
    public static <E extends Enum<E>> Parameter<E> choice(String name, Class<E> type) {
        return new Parameter<>(name, type, (text, within) -> Options.parseEnum(type, name, text), null, null, null, "");
    }

    /** Text, trimmed; empty text is refused. */
    public static Parameter<String> text(String name) {
        return new Parameter<>(name, String.class, (text, within) -> {
            String t = text == null ? "" : text.trim();
            if (t.isEmpty()) {
                throw Options.invalid(name, "is empty");
            }
            return t;
        }, null, null, null, "");
    }

    /**
     * A parameter of any type, read by the given parser, which must raise {@link SaliencyException} naming
     * {@code name} for unusable text ({@link #invalid} makes one).
     */
    public static <T> Parameter<T> of(String name, Class<T> type, Function<String, T> parser) {
        return new Parameter<>(name, type, (text, within) -> parser.apply(text), null, null, null, "");
    }

    /** This parameter with a default, as a user would type it. */
    public Parameter<T> withDefault(String text) {
        return new Parameter<>(name, type, parser, bounds, Objects.requireNonNull(text), defaultNote, help,
                autoValue);
    }

    /**
     * This parameter with a default that the model decides: front ends leave the parameter unset and help texts
     * show {@code note} ("the model card's, else 224", "the last layer with a spatial output"). A
     * {@link #withDefault default text}, where there is one, is what applies without a model card.
     */
    public Parameter<T> withModelDefault(String note) {
        return new Parameter<>(name, type, parser, bounds, defaultText, Objects.requireNonNull(note), help,
                autoValue);
    }

    /** This parameter with another help text: what it means, one phrase, without its default. */
    public Parameter<T> withHelp(String text) {
        return new Parameter<>(name, type, parser, bounds, defaultText, defaultNote, text, autoValue);
    }

    /** This number parameter with a lower maximum, for a front end that bounds costs tighter than the library. */
    public Parameter<T> atMost(double max) {
        if (bounds == null) {
            throw new IllegalStateException(name + " is not a number");
        }
        return new Parameter<>(name, type, parser, new Bounds(bounds.min(), bounds.openMin(),
                Math.min(bounds.max(), max)), defaultText, defaultNote, help, autoValue);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** What the parameter means, without its default. */
    public String help() {
        return help;
    }

    /** The bounds of a number parameter; empty for the others. */
    public Optional<Bounds> bounds() {
        return Optional.ofNullable(bounds);
    }

    /** Whether {@value #AUTO} is a value of it: a count the reader chooses from the data ({@link #countOrAuto}). */
    public boolean acceptsAuto() {
        return autoValue != null;
    }

    /** The values of a {@link #choice} parameter as users type them; empty for the others. */
    public List<String> choices() {
        return type.isEnum() ? Options.choiceNames(type) : List.of();
    }

    /** The default as a user would type it; empty where there is none. */
    public Optional<String> defaultText() {
        return Optional.ofNullable(defaultText);
    }

    /** Whether the default depends on the model, so that front ends leave the parameter unset. */
    public boolean defaultsFromModel() {
        return defaultNote != null;
    }

    /** The default as help texts show it: the model-dependent note, else the text; empty where there is none. */
    public Optional<String> shownDefault() {
        return Optional.ofNullable(defaultNote != null ? defaultNote : defaultText);
    }

    /** The help with its default, as a sentence: "Predictions to list (default: 5)." */
    public String helpWithDefault() {
        return help + shownDefault().map(d -> " (default: " + d + ")").orElse("") + ".";
    }

    /**
     * The default's value (for a model-dependent default, the value without a model card).
     *
     * @throws IllegalStateException when the parameter has no default
     */
    public T defaultValue() {
        if (defaultText == null) {
            throw new IllegalStateException(name + " has no default");
        }
        return parse(defaultText);
    }

    /**
     * Reads a value and checks its bounds.
     *
     * @throws SaliencyException naming the parameter for text that is not a value of it
     */
    public T parse(String text) {
        return check(parser.apply(text, bounds));
    }

    /** {@link #parse} for given text, the default for null. */
    public T parseOrDefault(String text) {
        return text == null ? defaultValue() : parse(text);
    }

    /**
     * Checks a value against the bounds, for values that come as numbers rather than text. Infinity and NaN are
     * never within bounds: the parser refuses them as text.
     *
     * @return the value
     * @throws SaliencyException naming the parameter for a value out of bounds
     */
    public T check(T value) {
        if (value != null && value.equals(autoValue)) {
            return value;
        }
        if (bounds != null && value instanceof Number number
                && !(Double.isFinite(number.doubleValue()) && bounds.contains(number.doubleValue()))) {
            throw invalid(bounds.requirement(!(value instanceof Double)) + ", got " + value);
        }
        return value;
    }

    /** An error about this parameter: {@code name: problem}. */
    public SaliencyException invalid(String problem) {
        return Options.invalid(name, problem);
    }

    @Override
    public String toString() {
        return name;
    }

    private static Bounds wholeBounds(long min, long max, long none) {
        return new Bounds(min, false, max == none ? Double.POSITIVE_INFINITY : max);
    }

    /** A whole number within the bounds, checked before any narrowing to int. */
    private static Long wholeNumber(String name, String text, Bounds bounds) {
        long value;
        try {
            value = Long.parseLong(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            throw Options.invalid(name, "not a whole number: '" + text + "'");
        }
        if (!bounds.contains(value)) {
            throw Options.invalid(name, bounds.requirement(true) + ", got " + value);
        }
        return value;
    }

    private static Double finite(String name, String text) {
        try {
            double value = Double.parseDouble(text == null ? "" : text.trim());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, as infinity and NaN are.
        }
        throw Options.invalid(name, "not a number: '" + text + "'");
    }
}
