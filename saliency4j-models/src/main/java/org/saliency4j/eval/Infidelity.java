package org.saliency4j.eval;

import java.util.SplittableRandom;
import org.saliency4j.FloatTensor;

/**
 * Infidelity (Yeh et al., 2019) as Captum's {@code captum.metrics.infidelity} computes it: over perturbations I,
 * the mean of (sum(I x attribution) - (f(x) - f(x - I)))^2, where f is the target's score. With
 * {@code normalize}, Captum's option (not its default), the attribution is first scaled by the least-squares factor
 * beta = E[(I . a)(f(x) - f(x - I))] / E[(I . a)^2], so that the figure does not depend on the attribution's
 * scale, which differs from method to method. Perturbations are Gaussian, drawn from a seed one sample at a time
 * and drawn again for each attribution, so that no more than one sample's noise is held per attribution.
 */
final class Infidelity {
    private Infidelity() {
    }

    /**
     * The model's side of the measure for one input: f(x) - f(x - I_k) for each perturbation k.
     *
     * @param input (3, H, W) flat, as the model takes it (normalised)
     */
    record Perturbations(long seed, double std, int samples, double[] differences) {
    }

    static Perturbations measure(Scorer scorer, float[] input, int height, int width, double std, int samples,
                                 long seed, int chunk) {
        int plane = input.length;
        double atInput = scorer.scores(new FloatTensor(new int[]{1, 3, height, width}, input.clone()))[0];
        double[] differences = new double[samples];
        float[] noise = new float[plane];
        for (int first = 0; first < samples; first += chunk) {
            int count = Math.min(chunk, samples - first);
            float[] batch = new float[count * plane];
            for (int k = 0; k < count; k++) {
                noise(seed, std, first + k, noise);
                for (int i = 0; i < plane; i++) {
                    batch[k * plane + i] = input[i] - noise[i];
                }
            }
            float[] perturbed = scorer.scores(new FloatTensor(new int[]{count, 3, height, width}, batch));
            for (int k = 0; k < count; k++) {
                differences[first + k] = atInput - perturbed[k];
            }
        }
        return new Perturbations(seed, std, samples, differences);
    }

    /**
     * @param attribution (C, H, W) flat with C = 3, or C = 1 for a map that every channel shares (the class
     *                    activation maps): then sum(I x a) sums each pixel's noise over the channels
     * @param plane       3 x H x W, the input's size
     */
    static double of(Perturbations p, float[] attribution, int plane, boolean normalize) {
        int pixels = plane / 3;
        if (attribution.length != plane && attribution.length != pixels) {
            throw new IllegalArgumentException("the attribution must be (3, H, W) or (1, H, W), got "
                    + attribution.length + " values for " + pixels + " pixels");
        }
        float[] noise = new float[plane];
        double squares = 0;
        double products = 0;
        double differenceSquares = 0;
        double errors = 0;
        for (int k = 0; k < p.samples(); k++) {
            noise(p.seed(), p.std(), k, noise);
            double dot = 0;
            for (int i = 0; i < plane; i++) {
                dot += (double) noise[i] * attribution[attribution.length == plane ? i : i % pixels];
            }
            double difference = p.differences()[k];
            squares += dot * dot;
            products += dot * difference;
            differenceSquares += difference * difference;
            errors += (dot - difference) * (dot - difference);
        }
        if (!normalize) {
            return errors / p.samples();
        }
        // Captum's safe_div: a zero denominator counts as 1.
        double beta = products / (squares != 0 ? squares : 1);
        return (beta * beta * squares - 2 * beta * products + differenceSquares) / p.samples();
    }

    /** Perturbation {@code k}: Gaussian with standard deviation {@code std}, the same for every call. */
    static void noise(long seed, double std, int k, float[] into) {
        SplittableRandom random = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (k + 1L));
        for (int i = 0; i < into.length; i++) {
            into[i] = (float) (random.nextGaussian() * std);
        }
    }
}
