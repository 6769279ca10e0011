package org.saliency4j.method;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.saliency4j.Parameter;

/**
 * A value for every method parameter ({@link MethodParameters#all()}), from which {@link Methods} builds a
 * method: each method keeps those it uses. Every value is checked against its bounds, used or not, so a mistyped
 * value is an error whatever the method. A new parameter needs no change here: it is one line in
 * {@link MethodParameters}.
 *
 * <pre>{@code
 * MethodSettings.defaults().with(MethodParameters.STEPS, 128).with(MethodParameters.LAYER, "features.norm5");
 * }</pre>
 */
public final class MethodSettings {
    /** By parameter; null where the model chooses (a layer left to the model), every other value is set. */
    private final Map<Parameter<?>, Object> values;

    private MethodSettings(Map<Parameter<?>, Object> values) {
        this.values = values;
    }

    /** Every parameter at its default. */
    public static MethodSettings defaults() {
        return parse(name -> null, Map.of());
    }

    /**
     * Reads the values from text, a parameter's default standing in for a missing one (null text).
     *
     * @param text a parameter's text by its {@link Parameter#name()}, or null
     * @param caps tighter upper bounds than the parameters' own (a service's), by parameter
     * @throws org.saliency4j.SaliencyException naming the parameter whose text is not a value within its bounds
     */
    @SuppressWarnings("unchecked") // caps holds integer parameters only, so a parameter found in it is one
    public static MethodSettings parse(Function<String, String> text, Map<Parameter<Integer>, Integer> caps) {
        Map<Parameter<?>, Object> values = new LinkedHashMap<>();
        for (Parameter<?> parameter : MethodParameters.all()) {
            if (parameter != Methods.METHOD) {
                Parameter<?> bounded = caps.containsKey(parameter)
                        ? ((Parameter<Integer>) parameter).atMost(caps.get(parameter)) : parameter;
                String given = text.apply(parameter.name());
                values.put(parameter, given == null && parameter.defaultsFromModel() ? null
                        : bounded.parseOrDefault(given));
            }
        }
        return new MethodSettings(values);
    }

    /** The value of {@code parameter}; null only where the model chooses (a layer left to the model). */
    public <T> T get(Parameter<T> parameter) {
        if (!values.containsKey(parameter)) {
            throw new IllegalArgumentException(parameter.name() + " is not a method parameter");
        }
        return parameter.type().cast(values.get(parameter));
    }

    /**
     * These settings with {@code parameter} set to {@code value}.
     *
     * @throws org.saliency4j.SaliencyException naming the parameter for a value out of its bounds
     */
    public <T> MethodSettings with(Parameter<T> parameter, T value) {
        get(parameter);
        if (value == null && !parameter.defaultsFromModel()) {
            throw new IllegalArgumentException(parameter.name() + " is required");
        }
        Map<Parameter<?>, Object> changed = new LinkedHashMap<>(values);
        // Text is checked by the parameter's own parser (a layer must be a module path), numbers by its bounds.
        changed.put(parameter, value == null ? null : value instanceof String text ? parameter.parse(text)
                : parameter.check(value));
        return new MethodSettings(changed);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MethodSettings s && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return "MethodSettings" + values;
    }
}
