package org.saliency4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.saliency4j.SaliencyException;

/** The areas of hand-made curves against the trapezoid rule's closed forms, and the orders of pixels. */
class CurveTest {

    @Test
    void aStraightLineHasTheTriangleBelowIt() {
        double[] x = new double[11];
        double[] y = new double[11];
        for (int i = 0; i <= 10; i++) {
            x[i] = i / 10.0;
            y[i] = 1 - x[i];
        }
        assertEquals(0.5, new Curve(x, y).area(), 1e-15);
    }

    @Test
    void aParabolaOverestimatesByTheTrapezoidsError() {
        // On x^2 with n equal steps of h = 1/n, the trapezoid rule gives 1/3 + h^2/6 exactly.
        int n = 8;
        double[] x = new double[n + 1];
        double[] y = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            x[i] = (double) i / n;
            y[i] = x[i] * x[i];
        }
        double h = 1.0 / n;
        assertEquals(1.0 / 3 + h * h / 6, new Curve(x, y).area(), 1e-15);
    }

    @Test
    void equalStepsGiveRisesFormulaAndAShortLastStepIsWeighedByItsWidth() {
        double[] y = {0.9, 0.7, 0.4, 0.35, 0.1};
        double rise = (0.9 + 0.7 + 0.4 + 0.35 + 0.1 - 0.9 / 2 - 0.1 / 2) / 4;
        assertEquals(rise, new Curve(new double[]{0, 0.25, 0.5, 0.75, 1}, y).area(), 1e-15);
        // 10 pixels at 4 per step: fractions 0, 0.4, 0.8, 1.
        assertEquals(0.4 * (1 + 0.5) / 2 + 0.4 * (0.5 + 0.25) / 2 + 0.2 * (0.25 + 0) / 2,
                new Curve(new double[]{0, 0.4, 0.8, 1}, new double[]{1, 0.5, 0.25, 0}).area(), 1e-15);
        assertEquals(4, PixelCurves.points(10, 4));
        assertEquals(65, PixelCurves.points(64 * 64, 64));
    }

    @Test
    void stepsAreBoundedBeforeAnyWork() {
        SaliencyException tooMany = assertThrows(SaliencyException.class, () -> PixelCurves.points(224 * 224, 1));
        assertEquals("step", tooMany.input());
        assertThrows(SaliencyException.class, () -> PixelCurves.points(100, 0));
    }

    @Test
    void ordersBreakTiesByIndexAndPutNegativesBelowPositives() {
        float[] map = {0.5f, -2f, 0.5f, 3f, -0f, 0f};
        assertArrayEquals(new int[]{3, 0, 2, 4, 5, 1}, PixelOrder.mostRelevantFirst(map));
        assertArrayEquals(new int[]{1, 4, 5, 0, 2, 3}, PixelOrder.leastRelevantFirst(map));
    }
}
