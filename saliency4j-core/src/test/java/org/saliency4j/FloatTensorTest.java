package org.saliency4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The public constructor copies the caller's array; the library's own arrays are adopted without a copy. */
class FloatTensorTest {
    @Test
    void aTensorMadeThroughThePublicConstructorDoesNotChangeWithTheCallersArray() {
        float[] data = {1, 2, 3, 4};
        FloatTensor tensor = new FloatTensor(new int[]{2, 2}, data);
        data[0] = 9;
        assertEquals(1, tensor.at(0));
        tensor.toArray()[1] = 9;
        assertArrayEquals(new float[]{1, 2, 3, 4}, tensor.toArray());
    }

    @Test
    void anAdoptedArrayIsTheTensorsOwnNotACopy() {
        float[] data = {1, 2, 3, 4};
        FloatTensor tensor = FloatTensor.adopt(new int[]{4}, data);
        data[0] = 9;
        assertEquals(9, tensor.at(0));
        assertThrows(IllegalArgumentException.class, () -> FloatTensor.adopt(new int[]{3}, data));
    }

    @Test
    void aMapsTensorSharesTheMapsValuesAndStaysImmutableToItsUsers() {
        SaliencyMap map = new SaliencyMap(2, 1, new float[]{0.25f, 0.75f});
        FloatTensor tensor = map.toTensor();
        assertArrayEquals(new int[]{1, 2}, tensor.shape());
        tensor.toArray()[0] = 5;
        assertEquals(0.25f, map.at(0, 0));
        assertEquals(0.25f, tensor.at(0));
    }
}
