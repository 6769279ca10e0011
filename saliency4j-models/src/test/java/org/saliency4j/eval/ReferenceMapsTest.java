package org.saliency4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.saliency4j.Picture;

/** The maps that know nothing of the model, against hand-worked values. */
class ReferenceMapsTest {

    @Test
    void sobelFindsAVerticalStepOnTheTwoColumnsBesideIt() {
        // Columns 0-1 black, 2-3 white, three rows. Beside the step, gx = (1 + 2 + 1) x 255 and gy = 0; the border
        // columns reflect their neighbour (BORDER_REFLECT_101), so they see no step.
        byte[] rgb = new byte[3 * 4 * 3];
        for (int y = 0; y < 3; y++) {
            for (int x = 2; x < 4; x++) {
                Arrays.fill(rgb, 3 * (y * 4 + x), 3 * (y * 4 + x) + 3, (byte) 255);
            }
        }
        float[] edges = ReferenceMaps.sobel(new Picture(4, 3, rgb));
        float step = (float) (4 * 255 * (0.299 + 0.587 + 0.114));
        for (int y = 0; y < 3; y++) {
            assertArrayEquals(new float[]{0, step, step, 0}, Arrays.copyOfRange(edges, 4 * y, 4 * y + 4), 1e-3f);
        }
    }

    @Test
    void reflectionSkipsTheBorderPixel() {
        assertEquals(1, ReferenceMaps.reflect(-1, 5));
        assertEquals(3, ReferenceMaps.reflect(5, 5));
        assertEquals(0, ReferenceMaps.reflect(-1, 1));
    }

    @Test
    void theRandomMapIsUniformAndSeeded() {
        float[] map = ReferenceMaps.random(10_000, 3);
        assertArrayEquals(map, ReferenceMaps.random(10_000, 3));
        assertFalse(Arrays.equals(map, ReferenceMaps.random(10_000, 4)));
        double mean = 0;
        for (float v : map) {
            assertTrue(v >= 0 && v < 1);
            mean += v / map.length;
        }
        assertEquals(0.5, mean, 0.01);
    }
}
