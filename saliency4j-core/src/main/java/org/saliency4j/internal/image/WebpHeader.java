package org.saliency4j.internal.image;

/**
 * A WebP's size (the VP8X canvas, else the VP8 or VP8L frame), whether it has alpha, and EXIF orientation (the
 * EXIF chunk): the RIFF chunks are walked by their declared sizes, each checked against the bytes present.
 *
 * <p>OpenCV decodes a WebP with alpha to BGRA (4 channels) and any other to BGR (3), asking libwebp, which finds
 * alpha in the VP8X alpha flag, a VP8L header's alpha bit or an ALPH chunk; any of the three counts here.
 */
final class WebpHeader {
    /** An animation has a chunk per frame; the walk stops after this many. */
    private static final int MAX_CHUNKS = 1 << 16;
    private static final int FIRST_CHUNK = 12;
    private static final int VP8X_ALPHA = 0x10;

    private WebpHeader() {
    }

    static ImageProbe.Declared read(HeaderBytes riff) {
        long end = 8 + riff.order(true).u32(4);
        if (end > riff.length()) {
            throw new HeaderBytes.Damaged("the RIFF header declares " + end + " bytes, more than the "
                    + riff.length() + " present");
        }
        HeaderBytes webp = riff.slice(0, end).order(true);
        long width = 0;
        long height = 0;
        boolean alpha = false;
        int orientation = 1;
        boolean exifSeen = false;
        long at = FIRST_CHUNK;
        for (int chunk = 0; chunk < MAX_CHUNKS && at + 8 <= end; chunk++) {
            String type = webp.ascii(at, 4);
            long size = webp.u32(at + 4);
            HeaderBytes body = webp.slice(at + 8, size);
            if (type.equals("ALPH")) {
                alpha = true;
            } else if (type.equals("VP8X") && body.length() > 0) {
                alpha |= (body.u8(0) & VP8X_ALPHA) != 0;
            } else if (type.equals("VP8L") && body.length() >= 5 && body.u8(0) == 0x2F) {
                alpha |= (body.u32(1) >> 28 & 1) != 0;
            }
            if (width == 0) {
                switch (type) {
                    case "VP8X" -> {
                        width = 1 + body.u24(4);
                        height = 1 + body.u24(7);
                    }
                    case "VP8 " -> {
                        if (!body.startsWith(3, "\u009d\u0001\u002a")) {
                            throw new HeaderBytes.Damaged("no VP8 start code");
                        }
                        width = body.u16(6) & 0x3FFF;
                        height = body.u16(8) & 0x3FFF;
                    }
                    case "VP8L" -> {
                        if (body.u8(0) != 0x2F) {
                            throw new HeaderBytes.Damaged("no VP8L signature");
                        }
                        long bits = body.u32(1);
                        width = 1 + (bits & 0x3FFF);
                        height = 1 + (bits >> 14 & 0x3FFF);
                    }
                    default -> {
                    }
                }
            }
            if (type.equals("EXIF") && !exifSeen) {
                exifSeen = true;
                // Some writers keep JPEG's "Exif\0\0" prefix before the TIFF structure.
                int skip = body.startsWith(0, "Exif\0\0") ? 6 : 0;
                orientation = TiffDirectory.exifOrientation(body.slice(skip, size - skip));
            }
            at += 8 + size + (size & 1);
        }
        return new ImageProbe.Declared(width, height, orientation, alpha ? 4 : 3, 1);
    }
}
