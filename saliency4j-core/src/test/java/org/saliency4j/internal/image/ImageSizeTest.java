package org.saliency4j.internal.image;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC4;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_core.randu;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.saliency4j.ImageLimits;
import org.saliency4j.ImageSize;

/**
 * The channels and sample bytes a header declares against an independent answer: the Mat that OpenCV's own
 * {@code imdecode(..., IMREAD_UNCHANGED)} returns for the same bytes.
 */
class ImageSizeTest {
    private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.defaults());
    private static final int WIDTH = 19;
    private static final int HEIGHT = 11;

    @ParameterizedTest(name = "{0} of OpenCV type {1}")
    @CsvSource({
            ".png, 8UC1", ".png, 8UC3", ".png, 8UC4", ".png, 16UC1", ".png, 16UC3", ".png, 16UC4",
            ".jpg, 8UC1", ".jpg, 8UC3",
            ".bmp, 8UC3", ".bmp, 8UC4",
            ".tiff, 8UC1", ".tiff, 8UC3", ".tiff, 8UC4", ".tiff, 16UC1", ".tiff, 16UC3", ".tiff, 16UC4",
            ".tiff, 32FC1", ".tiff, 32FC3", ".tiff, 64FC1",
            ".webp, 8UC3", ".webp, 8UC4"})
    void theHeaderDeclaresWhatOpenCvDecodes(String extension, String type) {
        try (PointerScope scope = new PointerScope()) {
            byte[] encoded = encode(random(type), extension, -1);
            assertDeclaresTheDecodedMat(extension + " " + type, encoded);
        }
    }

    @Test
    void aGreyBmpCountsThreeChannelsADeliberateOverEstimate() {
        try (PointerScope scope = new PointerScope()) {
            // OpenCV writes grey as an 8-bit BMP with a grey palette and decodes it to 1 channel; the probe does not
            // read the palette and counts every palette BMP as BGR, 3 channels (4 bytes a pixel more).
            byte[] bmp = encode(random("8UC1"), ".bmp", -1);
            Mat decoded = imdecode(new Mat(new BytePointer(bmp)), IMREAD_UNCHANGED);
            assertEquals(1, decoded.channels());
            assertEquals(new ImageSize(WIDTH, HEIGHT, 3, 1), DECODER.declaredSize("grey.bmp", bmp));
        }
    }

    @ParameterizedTest(name = "lossless {0}")
    @CsvSource({"8UC3", "8UC4"})
    void losslessWebpDeclaresWhatOpenCvDecodes(String type) {
        try (PointerScope scope = new PointerScope()) {
            // Quality above 100 selects WebP's lossless mode (VP8L, whose header carries the alpha bit).
            byte[] encoded = encode(random(type), ".webp", 101);
            assertDeclaresTheDecodedMat("lossless webp " + type, encoded);
        }
    }

    @Test
    void aWebpWithOpaqueAlphaStillDecodesToFourChannels() {
        try (PointerScope scope = new PointerScope()) {
            Mat opaque = new Mat(HEIGHT, WIDTH, CV_8UC4, new Scalar(10, 20, 30, 255));
            assertDeclaresTheDecodedMat("opaque webp", encode(opaque, ".webp", 101));
            assertDeclaresTheDecodedMat("opaque lossy webp", encode(opaque, ".webp", 90));
        }
    }

    @Test
    void greyAndAlphaPngsDecodeToFourChannels() {
        try (PointerScope scope = new PointerScope()) {
            // OpenCV expands grey+alpha to BGRA: the cost is that of 4 channels, not 2.
            byte[] png = TestImages.png(WIDTH, HEIGHT, 4, 2, null, null);
            assertEquals(4, assertDeclaresTheDecodedMat("grey+alpha png", png).channels());
        }
    }

    @Test
    void whetherAPngHasAlphaDependsOnItsTransparencyChunk() {
        try (PointerScope scope = new PointerScope()) {
            byte[] palette = new byte[2 * 3];
            Arrays.fill(palette, (byte) 200);
            byte[] opaque = TestImages.png(WIDTH, HEIGHT, 3, 1, palette, null);
            byte[] transparent = TestImages.png(WIDTH, HEIGHT, 3, 1, palette, new byte[]{0, (byte) 128});
            assertEquals(3, assertDeclaresTheDecodedMat("palette png", opaque).channels());
            assertEquals(4, assertDeclaresTheDecodedMat("palette png with tRNS", transparent).channels());
            // A transparent colour in RGB gives alpha too; in grey, OpenCV ignores it.
            byte[] rgbKey = TestImages.png(WIDTH, HEIGHT, 2, 3, null, new byte[]{0, 0, 0, 1, 0, 0});
            byte[] greyKey = TestImages.png(WIDTH, HEIGHT, 0, 1, null, new byte[]{0, 0});
            assertEquals(4, assertDeclaresTheDecodedMat("rgb png with tRNS", rgbKey).channels());
            assertEquals(1, assertDeclaresTheDecodedMat("grey png with tRNS", greyKey).channels());
        }
    }

    @Test
    void aPaletteTiffDecodesToThreeChannels() {
        try (PointerScope scope = new PointerScope()) {
            Mat decoded = assertDeclaresTheDecodedMat("palette tiff", paletteTiff());
            assertEquals(3, decoded.channels());
        }
    }

    @Test
    void theDeclaredSizeIsUnchangedByDepth() {
        try (PointerScope scope = new PointerScope()) {
            ImageSize size = DECODER.declaredSize("deep.png", encode(random("16UC4"), ".png", -1));
            assertEquals(new ImageSize(WIDTH, HEIGHT, 4, 2), size);
            assertEquals((long) WIDTH * HEIGHT, size.pixels());
        }
    }

    @Test
    void decodingBytesFollowTheMeasuredCosts() {
        // 9 + 2 x raw bytes a pixel, + 15 with alpha: 15, 32 and 40 bytes a pixel where 12, 25 and 33 were measured.
        assertEquals(15L * 100 * 50, new ImageSize(100, 50).decodingBytes());
        assertEquals(15L * 100 * 50, new ImageSize(100, 50, 3, 1).decodingBytes());
        assertEquals(32L * 100 * 50, new ImageSize(100, 50, 4, 1).decodingBytes());
        assertEquals(40L * 100 * 50, new ImageSize(100, 50, 4, 2).decodingBytes());
        assertEquals(11L, new ImageSize(1, 1, 1, 1).decodingBytes());
        assertEquals(9L + 2 * 2 + 15, new ImageSize(1, 1, 2, 1).decodingBytes());
        assertEquals(9L + 2 * 24, new ImageSize(1, 1, 3, 8).decodingBytes());
        assertEquals(8, new ImageSize(1, 1, 4, 2).decodedBytesPerPixel());
        assertEquals(3, new ImageSize(7, 7).decodedBytesPerPixel());
        // A size far beyond any pixel limit saturates instead of wrapping round to a small weight.
        assertEquals(Long.MAX_VALUE, new ImageSize(Integer.MAX_VALUE, Integer.MAX_VALUE, 4, 8).decodingBytes());
    }

    @Test
    void impossibleDepthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ImageSize(1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImageSize(1, 1, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImageSize(1, 1, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> new ImageSize(0, 1, 3, 1));
    }

    @Test
    void aJpegFrameHeaderTooShortToCountComponentsCountsTheMost() {
        try (PointerScope scope = new PointerScope()) {
            byte[] jpeg = encode(random("8UC1"), ".jpg", -1);
            int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
            // Cut the SOF0 segment to its size fields: 2 length bytes + precision + height + width.
            byte[] cut = new byte[sof + 2 + 7 + 2];
            System.arraycopy(jpeg, 0, cut, 0, cut.length);
            cut[sof + 2] = 0;
            cut[sof + 3] = 7;
            cut[cut.length - 2] = (byte) 0xFF;
            cut[cut.length - 1] = (byte) 0xD9;
            ImageSize size = DECODER.declaredSize("short-frame.jpg", cut);
            assertEquals(new ImageSize(WIDTH, HEIGHT, 3, 2), size);
        }
    }

    @Test
    void tiffSamplesBeyondWhatOpenCvDecodesCountFour() {
        assertEquals(new ImageSize(5, 4, 3, 1),
                DECODER.declaredSize("rgb.tiff", TestImages.tiff(TestImages.pattern(5, 4, 1), true)));
        byte[] tiff = TestImages.tiff(TestImages.pattern(5, 4, 1), true);
        setTiffValue(tiff, 277, 7);
        assertEquals(new ImageSize(5, 4, 4, 1), DECODER.declaredSize("seven.tiff", tiff));
        byte[] noBits = TestImages.tiff(TestImages.pattern(5, 4, 1), true);
        setTiffType(noBits, 258, 2);   // ASCII: unreadable as a bit count, so the widest sample
        assertEquals(new ImageSize(5, 4, 3, 8), DECODER.declaredSize("ascii-bits.tiff", noBits));
    }

    /** Asserts that the declared channels and sample bytes are those of OpenCV's decode, and returns that Mat. */
    private static Mat assertDeclaresTheDecodedMat(String what, byte[] encoded) {
        Mat decoded = imdecode(new Mat(new BytePointer(encoded)), IMREAD_UNCHANGED);
        assertTrue(decoded != null && !decoded.empty(), what + ": OpenCV decodes it");
        ImageSize size = DECODER.declaredSize(what, encoded);
        assertEquals(decoded.cols(), size.width(), what + ": width");
        assertEquals(decoded.rows(), size.height(), what + ": height");
        assertEquals(decoded.channels(), size.channels(), what + ": channels");
        assertEquals(decoded.elemSize1(), size.bytesPerSample(), what + ": bytes per sample");
        return decoded;
    }

    private static Mat random(String type) {
        int cvType = switch (type) {
            case "8UC1" -> CV_8UC1;
            case "8UC2" -> CV_8UC2;
            case "8UC3" -> CV_8UC3;
            case "8UC4" -> CV_8UC4;
            case "16UC1" -> CV_16UC1;
            case "16UC3" -> CV_16UC3;
            case "16UC4" -> CV_16UC4;
            case "32FC1" -> CV_32FC1;
            case "32FC3" -> CV_32FC3;
            case "64FC1" -> CV_64FC1;
            default -> throw new IllegalArgumentException(type);
        };
        Mat mat = new Mat(HEIGHT, WIDTH, cvType);
        boolean floating = type.contains("F");
        double high = floating ? 1.0 : type.startsWith("16") ? 65535 : 255;
        randu(mat, new Mat(1, 1, CV_64FC1, new Scalar(0.0)), new Mat(1, 1, CV_64FC1, new Scalar(high)));
        return mat;
    }

    private static byte[] encode(Mat mat, String extension, int webpQuality) {
        BytePointer buffer = new BytePointer();
        boolean written = webpQuality < 0 ? imencode(extension, mat, buffer)
                : imencode(extension, mat, buffer, new IntPointer(IMWRITE_WEBP_QUALITY, webpQuality));
        assertTrue(written, "OpenCV writes " + extension);
        byte[] bytes = new byte[(int) buffer.limit()];
        buffer.get(bytes);
        return bytes;
    }

    /** An 8-bit palette TIFF: PhotometricInterpretation 3 with a ColorMap of 3 x 256 SHORTs. */
    private static byte[] paletteTiff() {
        int w = 4;
        int h = 3;
        long[][] entries = {
                {256, 3, 1, w}, {257, 3, 1, h}, {258, 3, 1, 8}, {259, 3, 1, 1}, {262, 3, 1, 3},
                {273, 4, 1, -1}, {277, 3, 1, 1}, {278, 3, 1, h}, {279, 4, 1, (long) w * h}, {320, 3, 768, -2}};
        int directory = 8;
        int colourMapAt = directory + 2 + entries.length * 12 + 4;
        int pixelsAt = colourMapAt + 768 * 2;
        ByteBuffer out = ByteBuffer.allocate(pixelsAt + w * h).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[]{'I', 'I', 42, 0}).putInt(directory).putShort((short) entries.length);
        for (long[] e : entries) {
            out.putShort((short) e[0]).putShort((short) e[1]).putInt((int) e[2]);
            long value = e[3] == -1 ? pixelsAt : e[3] == -2 ? colourMapAt : e[3];
            if (e[1] == 3 && e[2] == 1) {
                out.putShort((short) value).putShort((short) 0);
            } else {
                out.putInt((int) value);
            }
        }
        out.putInt(0);
        for (int i = 0; i < 768; i++) {
            out.putShort((short) (i % 256 * 257));
        }
        for (int i = 0; i < w * h; i++) {
            out.put((byte) i);
        }
        return out.array();
    }

    /** Sets the inline SHORT value of the first directory entry with the tag (TestImages.tiff, little-endian). */
    private static void setTiffValue(byte[] tiff, int tag, int value) {
        int at = entry(tiff, tag);
        tiff[at + 8] = (byte) value;
        tiff[at + 9] = (byte) (value >> 8);
    }

    private static void setTiffType(byte[] tiff, int tag, int type) {
        int at = entry(tiff, tag);
        tiff[at + 2] = (byte) type;
        tiff[at + 3] = 0;
    }

    private static int entry(byte[] tiff, int tag) {
        ByteBuffer le = ByteBuffer.wrap(tiff).order(ByteOrder.LITTLE_ENDIAN);
        int directory = le.getInt(4);
        int count = le.getShort(directory) & 0xffff;
        for (int i = 0; i < count; i++) {
            int at = directory + 2 + i * 12;
            if ((le.getShort(at) & 0xffff) == tag) {
                return at;
            }
        }
        throw new IllegalArgumentException("no tag " + tag);
    }

    private static int indexOf(byte[] bytes, byte a, byte b) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == a && bytes[i + 1] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }
}
