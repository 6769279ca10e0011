package org.saliency4j.internal.image;

/**
 * libjpeg only warns about a JPEG that ends early and fills the missing rows with grey, so OpenCV returns a
 * picture of a truncated file. Entropy-coded data never contains an unstuffed 0xFF marker byte pair, so a whole
 * file has an end-of-image marker (FFD9) after its last start-of-scan marker (FFDA); a truncated one has not.
 */
final class JpegIntegrity {
    private JpegIntegrity() {
    }

    static boolean isTruncated(byte[] jpeg) {
        int lastScan = -1;
        for (int i = jpeg.length - 2; i >= 0; i--) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xDA) {
                lastScan = i;
                break;
            }
        }
        if (lastScan < 0) {
            return true;
        }
        for (int i = lastScan + 2; i < jpeg.length - 1; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xD9) {
                return false;
            }
        }
        return true;
    }
}
