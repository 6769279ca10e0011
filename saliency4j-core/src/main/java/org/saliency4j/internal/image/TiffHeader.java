package org.saliency4j.internal.image;

/**
 * A TIFF file's size, orientation, samples per pixel and bits per sample from its first directory, the one the
 * decoder reads. A directory with a tag twice is refused: readers may take either entry (the header probe one
 * width, libtiff another), so the pixel limit would not hold for what is decoded.
 *
 * <p>The channels follow OpenCV's TIFF decoder (grfmt_tiff.cpp, 4.13): a palette image decodes to BGR (3); a grey
 * one (MinIsWhite or MinIsBlack) of up to 16 bits to 1 channel whatever its SamplesPerPixel; any other to its
 * SamplesPerPixel (default 1; OpenCV refuses more than 4, so a larger or unreadable count counts 4). A sample takes
 * 1, 2, 4 or 8 bytes by its BitsPerSample (the largest value of the per-sample list; 1 bit when absent, as TIFF
 * defines, and 64 when unreadable). OpenCV reads a few layouts with more than 8 bits (YCbCr, CMYK, odd sample
 * counts) at 8; they are counted at their declared depth, an over-estimate. LogLuv decodes to 32-bit floats.
 */
final class TiffHeader {
    private static final int MIN_IS_WHITE = 0;
    private static final int MIN_IS_BLACK = 1;
    private static final int PALETTE = 3;
    private static final int LOG_LUV = 32845;

    private TiffHeader() {
    }

    static ImageProbe.Declared read(HeaderBytes tiff) {
        TiffDirectory directory = TiffDirectory.first(tiff);
        int duplicate = directory.duplicateTag();
        if (duplicate >= 0) {
            throw new HeaderBytes.Damaged("tag " + duplicate + " appears twice in the first directory, so the"
                    + " image is ambiguous");
        }
        long bits = directory.largest(TiffDirectory.BITS_PER_SAMPLE);
        if (bits == TiffDirectory.ABSENT) {
            bits = 1;
        } else if (bits < 1 || bits > 64) {
            bits = 64;
        }
        if (directory.integer(TiffDirectory.PHOTOMETRIC) == LOG_LUV) {
            // OpenCV decodes LogLuv to 32-bit float BGR.
            bits = Math.max(bits, 32);
        }
        return new ImageProbe.Declared(directory.integer(TiffDirectory.IMAGE_WIDTH),
                directory.integer(TiffDirectory.IMAGE_LENGTH), directory.orientation(),
                channels(directory, bits), ImageProbe.bytesPerSample(bits));
    }

    private static int channels(TiffDirectory directory, long bits) {
        long photometric = directory.integer(TiffDirectory.PHOTOMETRIC);
        if (photometric == PALETTE) {
            return 3;
        }
        if ((photometric == MIN_IS_WHITE || photometric == MIN_IS_BLACK) && bits <= 16) {
            return 1;
        }
        long samples = directory.largest(TiffDirectory.SAMPLES_PER_PIXEL);
        if (samples == TiffDirectory.ABSENT) {
            return 1;
        }
        return samples >= 1 && samples <= 4 ? (int) samples : 4;
    }
}
