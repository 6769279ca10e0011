package org.saliency4j.internal.image;

/**
 * A JPEG's size, sample precision and component count (its frame header, SOFn) and EXIF orientation (APP1 "Exif"),
 * from the marker segments before the first scan: each segment is skipped by its declared length, checked against
 * the bytes present.
 *
 * <p>OpenCV's JPEG decoder returns 1 channel for one component and 3 for any other count: a CMYK (or YCCK) JPEG's
 * four components are converted to BGR row by row as libjpeg delivers them, so the decoded Mat has 3 channels and
 * the four-sample rows never exist for the whole image; 3 is the cost, and counting 4 would also charge an alpha
 * compositing that never happens. A precision above 8 bits (12-bit JPEG) counts 2 bytes a sample, the most such a
 * decode can hold, as does a frame header too short to say.
 */
final class JpegHeader {
    /** Real files have a few dozen segments before the first scan. */
    private static final int MAX_SEGMENTS = 4096;
    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    private static final int APP1 = 0xE1;

    private JpegHeader() {
    }

    static ImageProbe.Declared read(HeaderBytes jpeg) {
        long width = 0;
        long height = 0;
        int channels = 3;
        int bytesPerSample = 2;
        int orientation = 1;
        boolean exifSeen = false;
        long at = 2;
        for (int segment = 0; segment < MAX_SEGMENTS; segment++) {
            if (jpeg.u8(at) != 0xFF) {
                throw new HeaderBytes.Damaged("no JPEG marker at offset " + at);
            }
            while (jpeg.u8(at) == 0xFF) {
                at++;
            }
            int marker = jpeg.u8(at);
            at++;
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                continue;
            }
            if (marker == EOI || marker == SOS) {
                break;
            }
            int length = jpeg.u16(at);
            if (length < 2) {
                throw new HeaderBytes.Damaged("a JPEG segment declares " + length + " bytes");
            }
            HeaderBytes body = jpeg.slice(at + 2, length - 2);
            if (isFrameHeader(marker) && width == 0) {
                height = body.u16(1);
                width = body.u16(3);
                if (body.length() > 5) {
                    channels = body.u8(5) == 1 ? 1 : 3;
                    bytesPerSample = body.u8(0) <= 8 ? 1 : 2;
                }
            } else if (marker == APP1 && !exifSeen && body.startsWith(0, "Exif\0\0")) {
                exifSeen = true;
                orientation = TiffDirectory.exifOrientation(body.slice(6, body.length() - 6));
            }
            at += length;
        }
        return new ImageProbe.Declared(width, height, orientation, channels, bytesPerSample);
    }

    /** SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }
}
