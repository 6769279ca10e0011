package org.saliency4j.method;

import java.util.Map;
import java.util.function.Function;
import org.saliency4j.Baseline;

/**
 * Values for every method parameter, from which {@link Methods} builds a method: each method keeps those it uses.
 * Every value is checked against its bounds, used or not, so a mistyped value is an error whatever the method.
 *
 * @param samples  noise tunnels: noisy copies per image
 * @param noise    noise tunnels: the noise's standard deviation as a fraction of the input's range
 * @param seed     seeds the noise tunnels' noise and the uniform baseline
 * @param steps    integrated gradients: integration steps
 * @param baseline integrated gradients: where the path starts (its seed is replaced by {@code seed})
 * @param layer    the Grad-CAM family: the layer weighed; null for the model's default
 */
public record MethodSettings(int samples, double noise, long seed, int steps, Baseline baseline, String layer) {

    public MethodSettings {
        MethodParameter.SAMPLES.check(samples);
        MethodParameter.NOISE.check(noise);
        MethodParameter.STEPS.check(steps);
        MethodParameter.LAYER.check(layer);
        if (baseline == null) {
            throw new IllegalArgumentException("baseline is required");
        }
    }

    /** Every parameter at its default. */
    public static MethodSettings defaults() {
        return parse(name -> null, Map.of());
    }

    /**
     * Reads the values from text, a parameter's default standing in for a missing one (null text).
     *
     * @param text  a parameter's text by its {@link MethodParameter#parameterName()}, or null
     * @param caps  tighter upper bounds than the parameters' own, for integer parameters (a service's)
     * @throws org.saliency4j.SaliencyException naming the parameter whose text is not a value within its bounds
     */
    public static MethodSettings parse(Function<String, String> text, Map<MethodParameter, Integer> caps) {
        Function<MethodParameter, String> given = p -> {
            String t = text.apply(p.parameterName());
            return t != null ? t : p.defaultValue();
        };
        Function<MethodParameter, Integer> integer = p -> (int) p.parseInteger(given.apply(p),
                caps.containsKey(p) ? caps.get(p) : p.max());
        return new MethodSettings(integer.apply(MethodParameter.SAMPLES),
                MethodParameter.NOISE.parseNumber(given.apply(MethodParameter.NOISE)),
                (long) MethodParameter.SEED.parseNumber(given.apply(MethodParameter.SEED)),
                integer.apply(MethodParameter.STEPS), Baseline.parse(given.apply(MethodParameter.BASELINE)),
                given.apply(MethodParameter.LAYER));
    }
}
