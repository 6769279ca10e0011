package org.saliency4j.method;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.saliency4j.Baseline;

/**
 * A base method run on noisy copies of the input, its results combined by {@link Kind} (Captum's noise tunnel).
 *
 * @param kind    how the copies' attributions combine
 * @param base    the method run on each noisy copy; not itself a noise tunnel
 * @param samples noisy copies per image
 * @param noise   the noise's standard deviation as a fraction of the input's range, as SmoothGrad's paper defines it
 * @param seed    seeds the noise
 */
public record NoiseTunnel(Kind kind, Method base, int samples, double noise, long seed) implements Method {

    /** How the copies' attributions combine. */
    public enum Kind {
        /** Their mean (Smilkov et al., 2017). */
        SMOOTHGRAD,
        /** Their mean square. */
        SMOOTHGRAD_SQ,
        /** Their variance (Adebayo et al., 2018). */
        VARGRAD
    }

    public NoiseTunnel {
        if (kind == null || base == null) {
            throw new IllegalArgumentException("kind and base are required");
        }
        if (base instanceof NoiseTunnel) {
            throw Methods.METHOD.invalid("a noise tunnel cannot wrap another (" + base.spec() + ")");
        }
        MethodParameters.SAMPLES.check(samples);
        MethodParameters.NOISE.check(noise);
    }

    /** The tunnel with the default noise and seed. */
    static NoiseTunnel of(Kind kind, Method base, int samples) {
        return new NoiseTunnel(kind, base, samples, MethodParameters.NOISE.defaultValue(),
                MethodParameters.SEED.defaultValue());
    }

    public NoiseTunnel withNoise(double value) {
        return new NoiseTunnel(kind, base, samples, value, seed);
    }

    public NoiseTunnel withSeed(long value) {
        return new NoiseTunnel(kind, base, samples, noise, value);
    }

    /** The first pass, then the base method on every copy. */
    @Override
    public long passes(Workload workload) {
        return 1 + samples * base.passesPerCopy(workload);
    }

    /** @throws UnsupportedOperationException always: a noise tunnel is never run on a copy */
    @Override
    public long passesPerCopy(Workload workload) {
        throw new UnsupportedOperationException("a noise tunnel cannot wrap another");
    }

    @Override
    public int channels() {
        return base.channels();
    }

    @Override
    public boolean usesLayer() {
        return base.usesLayer();
    }

    /** The base weighs its layer at the noisy copies only. */
    @Override
    public boolean layerAtInput() {
        return false;
    }

    @Override
    public String layer() {
        return base.layer();
    }

    @Override
    public NoiseTunnel withLayer(String layer) {
        return new NoiseTunnel(kind, base.withLayer(layer), samples, noise, seed);
    }

    @Override
    public AttentionTaps attentionTaps() {
        return base.attentionTaps();
    }

    /** The base rolls out attention at the noisy copies only. */
    @Override
    public boolean attentionAtInput() {
        return false;
    }

    @Override
    public ReluRule relu() {
        return base.relu();
    }

    @Override
    public Optional<Baseline> reference() {
        return base.reference();
    }

    /** Fewer samples, or a cheaper base ("lower samples or steps" where the base's remedy is to lower too). */
    @Override
    public String cheaper() {
        String samples = "lower " + MethodParameters.SAMPLES.name();
        String base = this.base.cheaper();
        if (base.isEmpty()) {
            return samples;
        }
        return base.startsWith("lower ") ? samples + " or " + base.substring("lower ".length()) : samples + ", or " + base;
    }

    /** The samples, then what its base's passes grow with. */
    @Override
    public Map<String, Number> costParameters() {
        Map<String, Number> cost = new LinkedHashMap<>();
        cost.put(MethodParameters.SAMPLES.name(), samples);
        cost.putAll(base.costParameters());
        return cost;
    }
}
