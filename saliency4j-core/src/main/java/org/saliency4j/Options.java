package org.saliency4j;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parsing shared by the option enums: lower-case names with '-' for '_', and an error that lists the choices.
 * Errors name the parameter without any CLI or HTTP spelling.
 */
final class Options {
    /** {@code topK}: the K most probable classes. */
    static final Pattern TOP_TARGETS = Pattern.compile("(?i)top(\\d{1,4})");
    /** {@code rankK}: the K-th most probable class. */
    static final Pattern RANK_TARGET = Pattern.compile("(?i)rank(\\d{1,4})");

    private Options() {
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String option, String text) {
        String wanted = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(wanted)) {
                return value;
            }
        }
        throw new SaliencyException(SaliencyException.Kind.OPTION, option,
                "unknown value '" + text + "' (expected one of: " + choices(type) + ")");
    }

    static <E extends Enum<E>> String choices(Class<E> type) {
        return String.join(", ", choiceNames(type));
    }

    /** An enum's constants as users type them: lower case, {@code -} for {@code _}. */
    static List<String> choiceNames(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .toList();
    }

    /**
     * An unusable parameter value. The parameter is named neutrally ({@code target}, not {@code --target}): the
     * CLI shows it as its flag, the service as its query parameter.
     */
    static SaliencyException invalid(String option, String problem) {
        return new SaliencyException(SaliencyException.Kind.OPTION, option, problem);
    }
}
