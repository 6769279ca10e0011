package org.saliency4j.image;

/**
 * A PNG's size (IHDR, the first chunk) and EXIF orientation (eXIf, before or after the image data): the chunks
 * are walked by their declared lengths, each checked against the bytes present, and none is decompressed.
 */
final class PngHeader {
    /** A 128 MB file of libpng's 8 KB IDAT chunks has 16,384; the walk stops after this many. */
    private static final int MAX_CHUNKS = 1 << 16;
    private static final long MAX_CHUNK_LENGTH = Integer.MAX_VALUE;
    private static final int SIGNATURE = 8;

    private PngHeader() {
    }

    static ImageProbe.Declared read(HeaderBytes png) {
        if (!png.startsWith(SIGNATURE + 4, "IHDR") || png.u32(SIGNATURE) != 13) {
            throw new HeaderBytes.Damaged("the first chunk is not a 13-byte IHDR");
        }
        long width = png.u32(SIGNATURE + 8);
        long height = png.u32(SIGNATURE + 12);
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
            } else if (type.equals("IEND")) {
                break;
            }
            at += 12 + length;
        }
        return new ImageProbe.Declared(width, height, orientation);
    }
}
