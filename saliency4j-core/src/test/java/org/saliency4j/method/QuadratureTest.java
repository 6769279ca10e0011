package org.saliency4j.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The quadrature rules against closed forms: the integrals of t^m over (0, 1) are 1 / (m + 1). */
class QuadratureTest {

    @Test
    void gaussLegendreWithNPointsIntegratesPolynomialsUpToDegree2nMinus1Exactly() {
        for (int n : new int[]{1, 2, 3, 4, 7, 16, 33, 64}) {
            Quadrature.Rule rule = Quadrature.GAUSS_LEGENDRE.rule(n);
            for (int m = 0; m <= 2 * n - 1 && m <= 60; m++) {
                assertEquals(1.0 / (m + 1), integral(rule, m), 1e-12, "n=" + n + ", t^" + m);
            }
            for (int k = 0; k < n; k++) {
                assertTrue(rule.points()[k] > 0 && rule.points()[k] < 1, "inside (0, 1)");
                assertTrue(k == 0 || rule.points()[k] > rule.points()[k - 1], "ascending");
                assertEquals(rule.points()[k], 1 - rule.points()[n - 1 - k], 1e-14, "symmetric");
            }
        }
    }

    @Test
    void gaussLegendresTwoPointsAreTheTextbooksAndLargeRulesStayAccurate() {
        Quadrature.Rule two = Quadrature.GAUSS_LEGENDRE.rule(2);
        assertEquals(0.5 - 0.5 / Math.sqrt(3), two.points()[0], 1e-15);
        assertEquals(0.5 + 0.5 / Math.sqrt(3), two.points()[1], 1e-15);
        assertEquals(0.5, two.weights()[0], 1e-15);
        Quadrature.Rule large = Quadrature.GAUSS_LEGENDRE.rule(2000);
        assertEquals(1.0, integral(large, 0), 1e-12);
        assertEquals(1.0 / 6, integral(large, 5), 1e-12);
        assertEquals(Math.E - 1, exponential(large), 1e-12);
    }

    /** The midpoint rule is exact for linear integrands only; its error on t^2 is 1 / (12 n^2). */
    @Test
    void theMidpointRuleHasItsTextbookError() {
        for (int n : new int[]{1, 5, 64}) {
            Quadrature.Rule rule = Quadrature.MIDPOINT.rule(n);
            assertEquals(0.5, integral(rule, 1), 1e-15);
            assertEquals(1.0 / 3 - 1.0 / (12.0 * n * n), integral(rule, 2), 1e-14);
        }
    }

    private static double integral(Quadrature.Rule rule, int power) {
        double sum = 0;
        for (int k = 0; k < rule.points().length; k++) {
            sum += rule.weights()[k] * Math.pow(rule.points()[k], power);
        }
        return sum;
    }

    private static double exponential(Quadrature.Rule rule) {
        double sum = 0;
        for (int k = 0; k < rule.points().length; k++) {
            sum += rule.weights()[k] * Math.exp(rule.points()[k]);
        }
        return sum;
    }
}
