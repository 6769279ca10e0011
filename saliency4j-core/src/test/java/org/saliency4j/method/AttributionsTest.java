package org.saliency4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saliency4j.Baseline;

/**
 * Each method against its closed form, on score functions written out in Java: a linear score (constant gradient)
 * and a quadratic one, f(x) = sum a_i x_i^2 / 2, whose gradient a_i x_i makes every method's answer exact.
 */
class AttributionsTest {
    private static final int SIDE = 4;
    private static final int PLANE = 3 * SIDE * SIDE;
    private static final float[] X = random(1, 1.0);
    private static final float[] A = random(2, 1.0);
    private static final float[] BASELINE = random(3, 0.5);
    private static final int BATCH = 16;

    /** f(x) = sum a_i x_i^2 / 2, gradient a_i x_i. */
    private static final ScoreGradients QUADRATIC = (inputs, n, relu) -> {
        float[] g = new float[inputs.length];
        float[] scores = new float[n];
        for (int i = 0; i < inputs.length; i++) {
            g[i] = A[i % PLANE] * inputs[i];
            scores[i / PLANE] += 0.5f * A[i % PLANE] * inputs[i] * inputs[i];
        }
        return new ScoreGradients.Result(g, scores);
    };

    /** f(x) = a . x, gradient a. */
    private static final ScoreGradients LINEAR = (inputs, n, relu) -> {
        float[] g = new float[inputs.length];
        float[] scores = new float[n];
        for (int i = 0; i < inputs.length; i++) {
            g[i] = A[i % PLANE];
            scores[i / PLANE] += A[i % PLANE] * inputs[i];
        }
        return new ScoreGradients.Result(g, scores);
    };

    @Test
    void vanillaIsTheGradientAndGradientTimesInputMultipliesIt() {
        float[] vanilla = attribute(Method.vanilla(), QUADRATIC).values();
        float[] times = attribute(Method.gradientXInput(), QUADRATIC).values();
        for (int i = 0; i < PLANE; i++) {
            assertEquals(A[i] * X[i], vanilla[i], 1e-6);
            assertEquals(A[i] * X[i] * X[i], times[i], 1e-6);
        }
    }

    @Test
    void integratedGradientsAreExactForLinearAndQuadraticScores() {
        Method ig = Method.integratedGradients(5);
        Attributions.Result linear = attribute(ig, LINEAR);
        Attributions.Result quadratic = attribute(ig, QUADRATIC);
        for (int i = 0; i < PLANE; i++) {
            // Linear: (x - x') a. Quadratic: the midpoint rule is exact for a linear integrand:
            // (x - x') * a * (x' + (x - x') / 2) = a (x^2 - x'^2) / 2.
            assertEquals((X[i] - BASELINE[i]) * A[i], linear.values()[i], 1e-5);
            assertEquals(A[i] * (X[i] * X[i] - BASELINE[i] * BASELINE[i]) / 2, quadratic.values()[i], 1e-5);
        }
        assertEquals(0, linear.convergenceDelta(), 1e-4, "completeness");
        assertEquals(0, quadratic.convergenceDelta(), 1e-4, "completeness");
    }

    /**
     * A cubic score, f(x) = sum a_i x_i^3 / 3: along the path its gradient is quadratic in the step, so
     * Gauss-Legendre's two points integrate it exactly, a (x^3 - x'^3) / 3, where the midpoint rule's two are off.
     */
    @Test
    void gaussLegendreIsExactForACubicScoreWithTwoSteps() {
        ScoreGradients cubic = cubic();
        Attributions.Result gauss = attribute(Method.integratedGradients(2).withQuadrature(Quadrature.GAUSS_LEGENDRE),
                cubic);
        Attributions.Result midpoint = attribute(Method.integratedGradients(2), cubic);
        double midpointError = 0;
        for (int i = 0; i < PLANE; i++) {
            double exact = A[i] * ((double) X[i] * X[i] * X[i] - (double) BASELINE[i] * BASELINE[i] * BASELINE[i]) / 3;
            assertEquals(exact, gauss.values()[i], 1e-5);
            midpointError = Math.max(midpointError, Math.abs(exact - midpoint.values()[i]));
        }
        assertEquals(0, gauss.convergenceDelta(), 1e-4, "completeness");
        assertTrue(midpointError > 1e-3, "the midpoint rule's two steps are not exact: " + midpointError);
    }

    /**
     * Automatic steps against the fixed ones: on the cubic score the midpoint rule's delta shrinks as 1 / n^2, and
     * the automatic choice is the first count of 16, 32, 64, ... whose delta is within the tolerance, with exactly
     * that fixed count's attribution; a tolerance nothing reaches stops at the cap.
     */
    @Test
    void automaticStepsStopAtTheFirstCountWithinTheTolerance() {
        ScoreGradients cubic = cubic();
        double tolerance = 0.002;
        IntegratedGradients auto = new IntegratedGradients(IntegratedGradients.AUTO_STEPS, Baseline.zero(),
                Quadrature.MIDPOINT, tolerance, 1024);
        Attributions.Result chosen = attribute(auto, cubic);
        int expected = 0;
        for (int steps : List.of(16, 32, 64, 128, 256, 512, 1024)) {
            Attributions.Result fixed = attribute(Method.integratedGradients(steps), cubic);
            if (Math.abs(fixed.convergenceDelta()) <= tolerance * Math.abs(difference(cubic))) {
                expected = steps;
                assertArrayEquals(fixed.values(), chosen.values(), 0f);
                break;
            }
        }
        assertTrue(expected > 16, "the tolerance needs more than the first count: " + expected);
        assertEquals(expected, chosen.integrationSteps());
        Attributions.Result capped = attribute(new IntegratedGradients(IntegratedGradients.AUTO_STEPS,
                Baseline.zero(), Quadrature.MIDPOINT, 1e-6, 48), cubic);
        assertEquals(48, capped.integrationSteps(), "16, 32, then the cap");
        assertEquals(64, attribute(Method.integratedGradients(64), cubic).integrationSteps(), "fixed steps");
    }

    /** f(x) - f(x') for the explained input and the baseline. */
    private static double difference(ScoreGradients model) {
        float[] ends = new float[2 * PLANE];
        System.arraycopy(X, 0, ends, 0, PLANE);
        System.arraycopy(BASELINE, 0, ends, PLANE, PLANE);
        float[] scores = model.at(ends, 2, ReluRule.STANDARD).scores();
        return (double) scores[0] - scores[1];
    }

    @Test
    void smoothGradFamilyMatchesTheNoiseMoments() {
        // With x + e, e ~ N(0, s^2): E[a(x+e)] = a x, E[(a(x+e))^2] = a^2 (x^2 + s^2), Var = a^2 s^2.
        NoiseTunnel tunnel = new NoiseTunnel(NoiseTunnel.Kind.SMOOTHGRAD, Method.vanilla(), 4000, 0.1, 11);
        double s = 0.1 * (max(X) - min(X));
        float[] mean = attribute(tunnel, QUADRATIC, 500).values();
        float[] square = attribute(Method.smoothGradSquared(Method.vanilla(), 4000).withNoise(0.1).withSeed(11),
                QUADRATIC, 500).values();
        float[] variance = attribute(Method.varGrad(Method.vanilla(), 4000).withNoise(0.1).withSeed(11), QUADRATIC,
                500).values();
        for (int i = 0; i < PLANE; i++) {
            double a2 = (double) A[i] * A[i];
            double tolerance = 4 * Math.abs(A[i]) * s / Math.sqrt(4000) + 1e-6;
            assertEquals(A[i] * X[i], mean[i], tolerance, "mean " + i);
            assertEquals(a2 * (X[i] * X[i] + s * s), square[i], 0.1 * a2 * (X[i] * X[i] + s * s) + 1e-6, "square " + i);
            assertEquals(a2 * s * s, variance[i], 0.1 * a2 * s * s + 1e-9, "variance " + i);
        }
    }

    @Test
    void oneNoiselessSampleIsTheBaseMethodItself() {
        assertArrayEquals(attribute(Method.vanilla(), QUADRATIC).values(),
                attribute(Method.smoothGrad(Method.vanilla(), 1).withNoise(0), QUADRATIC).values());
        assertArrayEquals(attribute(Method.gradientXInput(), QUADRATIC).values(),
                attribute(Method.smoothGrad(Method.gradientXInput(), 1).withNoise(0), QUADRATIC).values());
    }

    @Test
    void resultsDoNotDependOnTheBatchSize() {
        for (String spec : new String[]{"smoothgrad", "vargrad:gradient-x-input", "integrated-gradients",
                "smoothgrad-sq:integrated-gradients"}) {
            Method method = Methods.parse(spec, MethodSettings.defaults().with(MethodParameters.SAMPLES, 9)
                    .with(MethodParameters.STEPS, 7));
            assertArrayEquals(attribute(method, QUADRATIC, 1).values(), attribute(method, QUADRATIC, 4).values(), spec);
        }
    }

    @Test
    void seedsReproduceAndDiffer() {
        NoiseTunnel method = Method.smoothGrad(Method.vanilla(), 5);
        assertArrayEquals(attribute(method.withSeed(3), QUADRATIC).values(), attribute(method.withSeed(3), QUADRATIC).values());
        assertFalse(Arrays.equals(attribute(method.withSeed(3), QUADRATIC).values(),
                attribute(method.withSeed(4), QUADRATIC).values()));
    }

    @Test
    void theModelSeesAtMostABatchAtOnce() {
        int[] largest = {0};
        ScoreGradients counting = (inputs, n, relu) -> {
            largest[0] = Math.max(largest[0], n);
            assertEquals(n * PLANE, inputs.length);
            return QUADRATIC.at(inputs, n, relu);
        };
        attribute(Method.smoothGrad(Method.vanilla(), 50), counting, 8);
        assertEquals(8, largest[0]);
        largest[0] = 0;
        attribute(Method.integratedGradients(30), counting, 16);
        assertTrue(largest[0] <= 16, "largest batch " + largest[0]);
    }

    /** f(x) = sum a_i x_i^3 / 3, gradient a_i x_i^2. */
    private static ScoreGradients cubic() {
        return (inputs, n, relu) -> {
            float[] g = new float[inputs.length];
            float[] scores = new float[n];
            for (int i = 0; i < inputs.length; i++) {
                g[i] = A[i % PLANE] * inputs[i] * inputs[i];
                scores[i / PLANE] += A[i % PLANE] * inputs[i] * inputs[i] * inputs[i] / 3;
            }
            return new ScoreGradients.Result(g, scores);
        };
    }

    private static Attributions.Result attribute(Method method, ScoreGradients model) {
        return attribute(method, model, BATCH);
    }

    /** The method at X, after the first pass SaliencyModel makes: the score and gradient at X under standard ReLUs. */
    private static Attributions.Result attribute(Method method, ScoreGradients model, int batch) {
        float[] x = X.clone();
        ScoreGradients.Result first = model.at(x, 1, ReluRule.STANDARD);
        return new Attributions(model, null, null, null, null, SIDE, SIDE, batch).attribute(method,
                new Attributions.Input(x, first.scores()[0], first.gradients(), null, BASELINE.clone()));
    }

    private static float[] random(long seed, double scale) {
        Random random = new Random(seed);
        float[] values = new float[PLANE];
        for (int i = 0; i < PLANE; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }

    private static float max(float[] v) {
        float m = v[0];
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static float min(float[] v) {
        float m = v[0];
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }
}
