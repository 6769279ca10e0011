package org.saliency4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.saliency4j.FloatTensor;
import org.saliency4j.Picture;

/** The public constructors copy the caller's array; the library's owning path takes its own without one. */
class AdoptedTest {
    @Test
    void aPictureMadeThroughThePublicConstructorDoesNotChangeWithTheCallersArray() {
        byte[] rgb = {10, 20, 30, 40, 50, 60};
        Picture picture = new Picture(2, 1, rgb);
        rgb[0] = 99;
        assertEquals(10, picture.channel(0, 0, 0));
        picture.toRgbBytes()[3] = 99;
        assertEquals(40, picture.channel(1, 0, 0));
    }

    @Test
    void anAdoptedArrayIsThePicturesOwnNotACopy() {
        byte[] rgb = {10, 20, 30, 40, 50, 60};
        Picture picture = Adopted.picture(2, 1, rgb);
        // Only to observe that no copy was made: the library never writes an array it handed over.
        rgb[0] = 99;
        assertEquals(99, picture.channel(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Adopted.picture(2, 2, rgb), "sizes are still checked");
    }

    @Test
    void anAdoptedArrayIsTheTensorsOwnNotACopy() {
        float[] data = {1, 2, 3, 4};
        FloatTensor tensor = Adopted.tensor(new int[]{2, 2}, data);
        data[0] = 9;
        assertEquals(9, tensor.at(0));
        assertThrows(IllegalArgumentException.class, () -> Adopted.tensor(new int[]{3}, data),
                "sizes are still checked");
    }
}
