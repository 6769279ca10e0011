package org.saliency4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapesTaskTest {
    @Test
    void aSampleIsTheSameEveryTimeAndDiffersAcrossSeedsAndIndices() {
        ShapesTask.Sample a = new ShapesTask(5).sample(17);
        ShapesTask.Sample b = new ShapesTask(5).sample(17);
        assertArrayEquals(a.image().toRgbBytes(), b.image().toRgbBytes());
        assertEquals(List.of(a.label(), a.x0(), a.y0(), a.x1(), a.y1()), List.of(b.label(), b.x0(), b.y0(), b.x1(), b.y1()));
        assertFalse(Arrays.equals(a.image().toRgbBytes(), new ShapesTask(6).sample(17).image().toRgbBytes()));
        assertFalse(Arrays.equals(a.image().toRgbBytes(), new ShapesTask(5).sample(18).image().toRgbBytes()));
    }

    @Test
    void everyClassAppearsAndBoxesFitTheShapesSizeRange() {
        ShapesTask task = new ShapesTask(1);
        int[] counts = new int[ShapesTask.LABELS.size()];
        for (int i = 0; i < 500; i++) {
            ShapesTask.Sample s = task.sample(i);
            counts[s.label()]++;
            int w = s.x1() - s.x0();
            int h = s.y1() - s.y0();
            assertTrue(s.x0() >= 0 && s.y0() >= 0 && s.x1() <= ShapesTask.SIZE && s.y1() <= ShapesTask.SIZE);
            // Radii 7-14 px: from a flat triangle up to a rotated cross (1.05 r each side) plus rounding.
            assertTrue(w >= 8 && w <= 33 && h >= 8 && h <= 33, "box " + w + "x" + h);
        }
        for (int count : counts) {
            assertTrue(count > 60, Arrays.toString(counts));
        }
    }

    @Test
    void theShapeIsDrawnInsideItsBox() {
        // The shape's vivid colour has one channel >= 200 and another < 50; the box's centre pixel is the shape's.
        ShapesTask task = new ShapesTask(3);
        int insideVivid = 0;
        for (int i = 0; i < 100; i++) {
            ShapesTask.Sample s = task.sample(i);
            int cx = (s.x0() + s.x1()) / 2;
            int cy = (s.y0() + s.y1()) / 2;
            int max = 0;
            int min = 255;
            for (int c = 0; c < 3; c++) {
                max = Math.max(max, s.image().channel(cx, cy, c));
                min = Math.min(min, s.image().channel(cx, cy, c));
            }
            if (max >= 190 && min <= 60) {
                insideVivid++;
            }
        }
        // Stars are thin at the centre only when rotated oddly; nearly every centre is the shape's colour.
        assertTrue(insideVivid >= 90, "centres in the shape's colour: " + insideVivid);
    }
}
