package org.saliency4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Infidelity against hand computations of Captum's formula, on scores that are closed forms of the input. */
class InfidelityTest {
    private static final int SIZE = 4;
    private static final int PLANE = 3 * SIZE * SIZE;
    private static final float[] W = PixelCurvesTest.gaussian(PLANE, new Random(1));
    private static final float[] X = PixelCurvesTest.gaussian(PLANE, new Random(2));

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static Scorer scorer(ToDoubleFunction<float[]> f) {
        return inputs -> {
            float[] all = inputs.toArray();
            float[] out = new float[inputs.shape()[0]];
            for (int n = 0; n < out.length; n++) {
                out[n] = (float) f.applyAsDouble(java.util.Arrays.copyOfRange(all, n * PLANE, (n + 1) * PLANE));
            }
            return out;
        };
    }

    private static Infidelity.Perturbations linear(int samples, long seed) {
        return Infidelity.measure(scorer(x -> dot(W, x)), X, SIZE, SIZE, 0.1, samples, seed, 7);
    }

    @Test
    void theGradientOfALinearModelIsExactlyFaithful() {
        // f(x) - f(x - I) = w . I = sum(I x gradient): nothing is left but float rounding.
        Infidelity.Perturbations p = linear(64, 3);
        double scale = 0.01 * dot(W, W);
        assertTrue(Infidelity.of(p, W, PLANE, false) < 1e-10 * scale, "" + Infidelity.of(p, W, PLANE, false));
        assertTrue(Infidelity.of(p, W, PLANE, true) < 1e-10 * scale, "" + Infidelity.of(p, W, PLANE, true));
    }

    @Test
    void twiceTheGradientMissesByTheDifferenceAndNormalisationForgivesTheScale() {
        int samples = 4000;
        Infidelity.Perturbations p = linear(samples, 5);
        float[] twice = new float[PLANE];
        for (int i = 0; i < PLANE; i++) {
            twice[i] = 2 * W[i];
        }
        // By hand: (2w . I - w . I)^2 = (w . I)^2 per sample, whose expectation is std^2 |w|^2.
        double byHand = 0;
        float[] noise = new float[PLANE];
        for (int k = 0; k < samples; k++) {
            Infidelity.noise(p.seed(), p.std(), k, noise);
            byHand += Math.pow(dot(W, noise), 2) / samples;
        }
        double infidelity = Infidelity.of(p, twice, PLANE, false);
        assertEquals(byHand, infidelity, 1e-5 * byHand);
        assertEquals(0.01 * dot(W, W), infidelity, 0.1 * 0.01 * dot(W, W));
        // beta = 1/2 scales the attribution back to the gradient.
        assertTrue(Infidelity.of(p, twice, PLANE, true) < 1e-9 * byHand);
    }

    @Test
    void normalisedInfidelityOfAQuadraticModelIsCaptumsFormula() {
        ToDoubleFunction<float[]> square = x -> Math.pow(dot(W, x), 2);
        int samples = 50;
        Infidelity.Perturbations p = Infidelity.measure(scorer(square), X, SIZE, SIZE, 0.3, samples, 9, 16);
        float[] attribution = PixelCurvesTest.gaussian(PLANE, new Random(4));
        // Captum's steps written out: a_k = sum(I_k x attribution), b_k = f(x) - f(x - I_k),
        // beta = sum(a b) / sum(a^2), infidelity = mean((beta a - b)^2); unnormalised, mean((a - b)^2).
        double[] a = new double[samples];
        double[] b = new double[samples];
        float[] noise = new float[PLANE];
        float[] perturbed = new float[PLANE];
        for (int k = 0; k < samples; k++) {
            Infidelity.noise(9, 0.3, k, noise);
            for (int i = 0; i < PLANE; i++) {
                perturbed[i] = X[i] - noise[i];
            }
            a[k] = dot(noise, attribution);
            b[k] = (float) square.applyAsDouble(X) - (float) square.applyAsDouble(perturbed);
        }
        double ab = 0;
        double aa = 0;
        double plain = 0;
        for (int k = 0; k < samples; k++) {
            ab += a[k] * b[k];
            aa += a[k] * a[k];
            plain += (a[k] - b[k]) * (a[k] - b[k]) / samples;
        }
        double beta = ab / aa;
        double normalised = 0;
        for (int k = 0; k < samples; k++) {
            normalised += Math.pow(beta * a[k] - b[k], 2) / samples;
        }
        assertEquals(plain, Infidelity.of(p, attribution, PLANE, false), 1e-7 * plain);
        assertEquals(normalised, Infidelity.of(p, attribution, PLANE, true), 1e-7 * plain);
        assertTrue(normalised > 0.01 * plain, "the quadratic is not linear: " + normalised);
    }

    @Test
    void aOneChannelMapCountsForEveryChannel() {
        Infidelity.Perturbations p = Infidelity.measure(scorer(x -> Math.tanh(dot(W, x))), X, SIZE, SIZE, 0.2, 20, 1,
                4);
        float[] map = PixelCurvesTest.gaussian(SIZE * SIZE, new Random(6));
        float[] repeated = new float[PLANE];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(map, 0, repeated, c * map.length, map.length);
        }
        assertEquals(Infidelity.of(p, repeated, PLANE, true), Infidelity.of(p, map, PLANE, true), 1e-12);
    }

    @Test
    void theSeedDecidesThePerturbations() {
        assertEquals(Infidelity.of(linear(10, 1), X, PLANE, false), Infidelity.of(linear(10, 1), X, PLANE, false));
        assertNotEquals(Infidelity.of(linear(10, 1), X, PLANE, false), Infidelity.of(linear(10, 2), X, PLANE, false));
    }
}
