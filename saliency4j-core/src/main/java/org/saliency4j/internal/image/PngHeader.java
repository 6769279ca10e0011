package org.saliency4j.internal.image;

/**
 * A PNG's size, bit depth and colour type (IHDR, the first chunk), whether it has a tRNS chunk, and its EXIF
 * orientation (eXIf, before or after the image data): the chunks are walked by their declared lengths, each checked
 * against the bytes present, and none is decompressed.
 *
 * <p>The channels are those OpenCV's PNG decoder returns with {@code IMREAD_UNCHANGED} (grfmt_png.cpp, 4.13): grey
 * 1 (a grey tRNS is ignored); RGB and palette 3, or 4 with a tRNS chunk; grey+alpha and RGBA 4 (OpenCV expands
 * grey+alpha to BGRA, it never returns 2 channels). A colour type outside the standard counts as 4 channels and an
 * odd bit depth as 16 bits: the largest cost a PNG can have.
 */
final class PngHeader {
    /** A 128 MB file of libpng's 8 KB IDAT chunks has 16,384; the walk stops after this many. */
    private static final int MAX_CHUNKS = 1 << 16;
    private static final long MAX_CHUNK_LENGTH = Integer.MAX_VALUE;
    private static final int SIGNATURE = 8;
    private static final int GREY = 0;
    private static final int RGB = 2;
    private static final int PALETTE = 3;
    private static final int GREY_ALPHA = 4;
    private static final int RGBA = 6;

    private PngHeader() {
    }

    static ImageProbe.Declared read(HeaderBytes png) {
        if (!png.startsWith(SIGNATURE + 4, "IHDR") || png.u32(SIGNATURE) != 13) {
            throw new HeaderBytes.Damaged("the first chunk is not a 13-byte IHDR");
        }
        long width = png.u32(SIGNATURE + 8);
        long height = png.u32(SIGNATURE + 12);
        int bitDepth = png.u8(SIGNATURE + 16);
        int colourType = png.u8(SIGNATURE + 17);
        boolean transparency = false;
        int orientation = 1;
        boolean exifSeen = false;
        long at = SIGNATURE;
        for (int chunk = 0; chunk < MAX_CHUNKS && at < png.length(); chunk++) {
            long length = png.u32(at);
            String type = png.ascii(at + 4, 4);
            if (length > MAX_CHUNK_LENGTH || length > png.length() - at - 12) {
                throw new HeaderBytes.Damaged("the " + type + " chunk at offset " + at + " declares " + length
                        + " bytes, more than the " + Math.max(0, png.length() - at - 12) + " left");
            }
            if (type.equals("eXIf") && !exifSeen) {
                exifSeen = true;
                orientation = TiffDirectory.exifOrientation(png.slice(at + 8, length));
            } else if (type.equals("tRNS")) {
                transparency = true;
            } else if (type.equals("IEND")) {
                break;
            }
            at += 12 + length;
        }
        int bytesPerSample = bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 ? 1 : 2;
        return new ImageProbe.Declared(width, height, orientation, channels(colourType, transparency),
                bytesPerSample);
    }

    private static int channels(int colourType, boolean transparency) {
        return switch (colourType) {
            case GREY -> 1;
            case RGB, PALETTE -> transparency ? 4 : 3;
            case GREY_ALPHA, RGBA -> 4;
            default -> 4;
        };
    }
}
