package org.saliency4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.saliency4j.SaliencyMap;

class PointingGameTest {
    private static final PointingGame.Box BOX = new PointingGame.Box(10, 20, 15, 30);

    @Test
    void aMaximumInsideTheDilatedBoxIsAHit() {
        assertTrue(PointingGame.pointsInside(peakAt(12, 25), BOX));
        assertTrue(PointingGame.pointsInside(peakAt(8, 18), BOX), "within the 2-pixel margin");
        assertTrue(PointingGame.pointsInside(peakAt(16, 31), BOX), "x1 and y1 are exclusive, plus the margin");
        assertFalse(PointingGame.pointsInside(peakAt(7, 25), BOX));
        assertFalse(PointingGame.pointsInside(peakAt(12, 32), BOX));
    }

    @Test
    void energyIsTheShareOfAbsoluteMassInsideTheBox() {
        float[] values = new float[40 * 40];
        values[25 * 40 + 12] = 3f;   // inside
        values[5 * 40 + 5] = -1f;     // outside, counted by magnitude
        assertEquals(0.75, PointingGame.energyInside(new SaliencyMap(40, 40, values), BOX), 1e-12);
        assertEquals(50.0, BOX.area());
        assertEquals(9.0 * 14.0, BOX.dilatedArea(40, 40));
        assertEquals(7.0 * 12.0, new PointingGame.Box(0, 0, 5, 10).dilatedArea(40, 40), "clipped at the image edge");
    }

    private static SaliencyMap peakAt(int x, int y) {
        float[] values = new float[40 * 40];
        values[y * 40 + x] = 1f;
        return new SaliencyMap(40, 40, values);
    }
}
