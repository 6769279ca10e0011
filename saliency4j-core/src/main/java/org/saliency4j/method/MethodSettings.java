package org.saliency4j.method;

import java.util.Map;
import java.util.function.Function;
import org.saliency4j.Baseline;
import org.saliency4j.Parameter;

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
        MethodParameters.SAMPLES.check(samples);
        MethodParameters.NOISE.check(noise);
        MethodParameters.STEPS.check(steps);
        layer = MethodParameters.checkLayer(layer);
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
     * @param text a parameter's text by its {@link Parameter#name()}, or null
     * @param caps tighter upper bounds than the parameters' own (a service's), by parameter
     * @throws org.saliency4j.SaliencyException naming the parameter whose text is not a value within its bounds
     */
    public static MethodSettings parse(Function<String, String> text, Map<Parameter<Integer>, Integer> caps) {
        Function<Parameter<Integer>, Integer> capped = p -> (caps.containsKey(p) ? p.atMost(caps.get(p)) : p)
                .parseOrDefault(text.apply(p.name()));
        String layer = text.apply(MethodParameters.LAYER.name());
        return new MethodSettings(capped.apply(MethodParameters.SAMPLES),
                MethodParameters.NOISE.parseOrDefault(text.apply(MethodParameters.NOISE.name())),
                MethodParameters.SEED.parseOrDefault(text.apply(MethodParameters.SEED.name())),
                capped.apply(MethodParameters.STEPS),
                MethodParameters.BASELINE.parseOrDefault(text.apply(MethodParameters.BASELINE.name())),
                layer == null ? null : MethodParameters.LAYER.parse(layer));
    }
}
