package org.saliency4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The panel's contrast window: both ends, neither (one that suits the map), or one end and the tutorial's other. */
class RenderOptionsTest {

    @Test
    void oneEndGivenTakesTheTutorialsOtherEnd() {
        RenderOptions low = RenderOptions.defaults().withWindow(0.1, Double.NaN);
        assertEquals(0.1, low.vmin());
        assertEquals(0.7, low.vmax());
        assertTrue(!low.automaticWindow());
        RenderOptions high = RenderOptions.defaults().withWindow(Double.NaN, 0.9);
        assertEquals(0.3, high.vmin());
        assertEquals(0.9, high.vmax());
        assertTrue(RenderOptions.defaults().automaticWindow());
        SaliencyException crossed = assertThrows(SaliencyException.class,
                () -> RenderOptions.defaults().withWindow(0.8, Double.NaN));
        assertEquals("vmin: the window needs vmin < vmax, got 0.8 and 0.7", crossed.getMessage());
    }
}
