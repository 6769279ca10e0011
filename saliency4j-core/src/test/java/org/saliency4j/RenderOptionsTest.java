package org.saliency4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The panel's contrast window: each end given, or left to the map (NaN, {@code auto}), independently. */
class RenderOptionsTest {

    @Test
    void eachEndIsGivenOrLeftToTheMap() {
        assertTrue(RenderOptions.defaults().automaticWindow());
        RenderOptions low = RenderOptions.defaults().withWindow(0.1, Double.NaN);
        assertEquals(0.1, low.vmin());
        assertTrue(Double.isNaN(low.vmax()));
        assertFalse(low.automaticWindow());
        assertFalse(RenderOptions.defaults().withWindow(0.2, 0.8).automaticWindow());
        SaliencyException crossed = assertThrows(SaliencyException.class,
                () -> RenderOptions.defaults().withWindow(0.8, 0.7));
        assertEquals("vmin: the window needs vmin < vmax, got 0.8 and 0.7", crossed.getMessage());
        assertEquals("vmax", assertThrows(SaliencyException.class,
                () -> RenderOptions.defaults().withWindow(0.2, Double.POSITIVE_INFINITY)).input());
    }
}
