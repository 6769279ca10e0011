package org.saliency4j.method;

import java.util.Locale;
import java.util.regex.Pattern;
import org.saliency4j.SaliencyException;

/**
 * The methods' parameters, each written once: its name, default, bounds and help. The command line's options, the
 * service's query parameters, {@code GET /v1/methods} and the errors all read them from here; errors name the
 * parameter neutrally ({@code samples}), the command line shows it as its flag.
 */
public enum MethodParameter {
    SAMPLES("samples", "50", true, 1, 10_000, "Noise tunnels: noisy copies per image"),
    // Up to 100 times the input's range: far past any useful level, and still a finite input for the model.
    NOISE("noise", "0.15", false, 0, 100, "Noise tunnels: noise std as a fraction of the input's range"),
    SEED("seed", "0", true, Long.MIN_VALUE, Long.MAX_VALUE, "Noise tunnels and the uniform baseline: the seed"),
    STEPS("steps", "64", true, 1, 10_000, "Integrated gradients: integration steps, midpoint rule"),
    BASELINE("baseline", "zero", false, Double.NaN, Double.NaN, "Integrated gradients: where the path starts"),
    LAYER("layer", null, false, Double.NaN, Double.NaN, "Grad-CAM family: the layer to weigh, a module path such "
            + "as features.norm5 (default: the model's last layer with a spatial output)");

    private static final Pattern LAYER_PATH = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

    private final String parameterName;
    private final String defaultValue;
    private final boolean integer;
    private final double min;
    private final double max;
    private final String help;

    MethodParameter(String parameterName, String defaultValue, boolean integer, double min, double max,
                    String help) {
        this.parameterName = parameterName;
        this.defaultValue = defaultValue;
        this.integer = integer;
        this.min = min;
        this.max = max;
        this.help = help;
    }

    /**
     * The neutral name, without any command-line or query spelling: {@code samples}, {@code noise}, {@code seed},
     * {@code steps}, {@code baseline}, {@code layer}.
     */
    public String parameterName() {
        return parameterName;
    }

    /** The default as text, or null when there is none to write (the layer: the model's own). */
    public String defaultValue() {
        return defaultValue;
    }

    /** Whether the value is a whole number. */
    public boolean integer() {
        return integer;
    }

    /** Whether the value is a number with {@link #min()} and {@link #max()}. */
    public boolean bounded() {
        return !Double.isNaN(min);
    }

    /** The smallest value allowed; NaN when the parameter is not a number. */
    public double min() {
        return min;
    }

    /** The largest value allowed; NaN when the parameter is not a number. */
    public double max() {
        return max;
    }

    /** One line for a user. */
    public String help() {
        return help;
    }

    /** The parameter named {@code name}, or null. */
    public static MethodParameter named(String name) {
        for (MethodParameter p : values()) {
            if (p.parameterName.equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** @throws SaliencyException naming this parameter when {@code value} is out of bounds */
    void check(double value) {
        if (!(value >= min) || !(value <= max)) {
            throw invalid("must be between " + format(min) + " and " + format(max)
                    + (this == NOISE ? " (a fraction of the input's range)" : "") + ", got " + format(value));
        }
    }

    /** @throws SaliencyException naming the layer when it is not a module path; null is the default layer */
    void check(String layer) {
        if (layer != null && !LAYER_PATH.matcher(layer).matches()) {
            throw invalid("'" + layer + "' is not a module path such as features.norm5");
        }
    }

    /**
     * An integer parameter's value read from text, at most {@code cap} (a caller's tighter bound, or
     * {@link #max()}).
     */
    long parseInteger(String text, double cap) {
        double value = parseNumber(text);
        if (value != Math.rint(value) || value < min || value > cap) {
            throw invalid("must be an integer between " + format(min) + " and " + format(cap) + ", got " + text);
        }
        return (long) value;
    }

    /** A number read from text, checked against the bounds. */
    double parseNumber(String text) {
        try {
            double value = Double.parseDouble(text.trim());
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid("not a number: '" + text + "'");
        }
    }

    SaliencyException invalid(String problem) {
        return new SaliencyException(SaliencyException.Kind.OPTION, parameterName, problem);
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e18 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }
}
