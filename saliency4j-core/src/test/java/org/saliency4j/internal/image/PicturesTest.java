package org.saliency4j.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.saliency4j.Picture;

/** The public constructor copies the caller's array; the image package's owning path takes its own without one. */
class PicturesTest {
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
        Picture picture = Pictures.adopt(2, 1, rgb);
        // Only to observe that no copy was made: the package never writes an array it handed over.
        rgb[0] = 99;
        assertEquals(99, picture.channel(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Pictures.adopt(2, 2, rgb), "sizes are still checked");
    }
}
