package org.saliency4j.internal.image;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacpp.indexer.UShortIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.saliency4j.ImageInput;
import org.saliency4j.ImageLimits;
import org.saliency4j.Picture;
import org.saliency4j.SaliencyException;

class ImageDecoderTest {
    private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.defaults());
    private static final Picture PATTERN = TestImages.pattern(37, 23, 3);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {".png", ".bmp", ".tiff", ".webp"})
    void losslessFormatsDecodeToTheExactPixels(String extension) {
        byte[] encoded = extension.equals(".webp")
                ? encodeLosslessWebp(PATTERN) : TestImages.encode(PATTERN, extension);
        Picture decoded = DECODER.decode("pattern" + extension, encoded);
        assertEquals(PATTERN.width(), decoded.width());
        assertEquals(PATTERN.height(), decoded.height());
        assertArrayEquals(PATTERN.toRgbBytes(), decoded.toRgbBytes());
    }

    @Test
    void jpegDecodesCloseToTheOriginalInRgbOrder() {
        Picture decoded = DECODER.decode("pattern.jpg", TestImages.encode(PATTERN, ".jpg"));
        byte[] expected = PATTERN.toRgbBytes();
        byte[] actual = decoded.toRgbBytes();
        double error = 0;
        for (int i = 0; i < expected.length; i++) {
            error += Math.abs((expected[i] & 0xff) - (actual[i] & 0xff));
        }
        assertTrue(error / expected.length < 8, "mean absolute error " + error / expected.length);
    }

    @Test
    void greyIsReplicatedToThreeChannels() {
        try (PointerScope scope = new PointerScope()) {
            Mat grey = new Mat(5, 4, CV_8UC1);
            UByteIndexer idx = grey.createIndexer();
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 4; x++) {
                    idx.put(y, x, y * 40 + x);
                }
            }
            Picture decoded = DECODER.decode("grey.png", TestImages.encode(grey, ".png"));
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 4; x++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(y * 40 + x, decoded.channel(x, y, c));
                    }
                }
            }
        }
    }

    @Test
    void sixteenBitSamplesAreScaledToEightBits() {
        try (PointerScope scope = new PointerScope()) {
            Mat deep = new Mat(2, 3, CV_16UC1);
            UShortIndexer idx = deep.createIndexer();
            int[] values = {0, 257, 32896, 65535, 1000, 60000};
            for (int i = 0; i < 6; i++) {
                idx.put(i / 3, i % 3, values[i]);
            }
            Picture decoded = DECODER.decode("deep.png", TestImages.encode(deep, ".png"));
            for (int i = 0; i < 6; i++) {
                assertEquals(Math.round(values[i] * 255.0 / 65535.0), decoded.channel(i % 3, i / 3, 0), "value " + values[i]);
            }
        }
    }

    @Test
    void transparencyIsCompositedOntoWhite() {
        try (PointerScope scope = new PointerScope()) {
            Mat bgra = new Mat(1, 3, CV_8UC4);
            UByteIndexer idx = bgra.createIndexer();
            int[][] pixels = {{10, 20, 30, 255}, {10, 20, 30, 0}, {200, 100, 0, 128}};
            for (int x = 0; x < 3; x++) {
                for (int c = 0; c < 4; c++) {
                    idx.put(0, x, c, pixels[x][c]);
                }
            }
            Picture decoded = DECODER.decode("alpha.png", TestImages.encode(bgra, ".png"));
            for (int x = 0; x < 3; x++) {
                int alpha = pixels[x][3];
                for (int c = 0; c < 3; c++) {
                    int colour = pixels[x][2 - c];
                    int expected = (int) Math.round(colour * alpha / 255.0) + 255 - alpha;
                    assertEquals(expected, decoded.channel(x, 0, c), 1, "pixel " + x + " channel " + c);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 6, 8})
    void exifOrientationIsApplied(int orientation) {
        byte[] jpeg = withExifOrientation(TestImages.encode(PATTERN, ".jpg"), orientation);
        Picture plain = DECODER.decode("plain.jpg", TestImages.encode(PATTERN, ".jpg"));
        assertOriented(plain, DECODER.decode("turned.jpg", jpeg), orientation);
    }

    /** PNG's eXIf chunk, WebP's EXIF chunk and TIFF's own Orientation tag: OpenCV applies none of them here. */
    @ParameterizedTest
    @ValueSource(ints = {3, 6, 8})
    void orientationIsAppliedInEveryFormat(int orientation) {
        byte[] png = TestImages.withPngChunk(TestImages.encode(PATTERN, ".png"), "eXIf",
                TestImages.exifOrientation(orientation));
        assertOriented(PATTERN, DECODER.decode("turned.png", png), orientation);
        assertOriented(PATTERN, DECODER.decode("turned.webp", extendedWebp(encodeLosslessWebp(PATTERN),
                PATTERN, orientation)), orientation);
        for (boolean little : new boolean[]{true, false}) {
            byte[] tiff = TestImages.tiff(PATTERN, little, 274, orientation);
            assertOriented(PATTERN, DECODER.decode("turned.tiff", tiff), orientation);
        }
    }

    private static void assertOriented(Picture plain, Picture turned, int orientation) {
        boolean swapped = orientation >= 5;
        assertEquals(swapped ? plain.height() : plain.width(), turned.width());
        assertEquals(swapped ? plain.width() : plain.height(), turned.height());
        int w = plain.width();
        int h = plain.height();
        for (int y = 0; y < h; y += 5) {
            for (int x = 0; x < w; x += 5) {
                // Where the stored pixel (x, y) is shown after rotating: 3 = 180°, 6 = 90° clockwise, 8 = 90° anticlockwise.
                int tx = orientation == 3 ? w - 1 - x : orientation == 6 ? h - 1 - y : y;
                int ty = orientation == 3 ? h - 1 - y : orientation == 6 ? x : w - 1 - x;
                assertEquals(plain.channel(x, y, 0), turned.channel(tx, ty, 0), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void anEmptyFileIsRefused() {
        assertRefused(new byte[0], SaliencyException.Kind.IMAGE, "the file is empty");
    }

    @Test
    void textIsNotAnImage() {
        assertRefused("hello, this is not a picture\n".getBytes(StandardCharsets.UTF_8), SaliencyException.Kind.IMAGE_FORMAT,
                "not an image");
    }

    @Test
    void randomBytesAreNotAnImage() {
        byte[] junk = new byte[10_000];
        new Random(2).nextBytes(junk);
        junk[0] = 0x13;
        assertRefused(junk, SaliencyException.Kind.IMAGE_FORMAT, "not an image");
    }

    @Test
    void gifIsAnUnsupportedFormat() {
        assertRefused("GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1),
                SaliencyException.Kind.IMAGE_FORMAT, "unsupported format GIF");
    }

    @ParameterizedTest
    @ValueSource(strings = {".jpg", ".png", ".bmp", ".tiff", ".webp"})
    void truncatedFilesAreRefused(String extension) {
        Picture big = TestImages.pattern(120, 90, 9);
        byte[] whole = TestImages.encode(big, extension);
        byte[] cut = Arrays.copyOf(whole, whole.length * 2 / 3);
        SaliencyException e = assertThrows(SaliencyException.class, () -> DECODER.decode("cut" + extension, cut));
        assertEquals(SaliencyException.Kind.IMAGE, e.kind());
        assertTrue(e.getMessage().startsWith("cut" + extension + ": "), e.getMessage());
    }

    @Test
    void anImageBombIsRefusedFromItsHeaderQuickly() {
        byte[] bomb = TestImages.pngBomb(30_000, 30_000);
        assertTrue(bomb.length > 100_000 && bomb.length < 1_000_000, "a few hundred KB: " + bomb.length);
        long start = System.nanoTime();
        SaliencyException e = assertThrows(SaliencyException.class, () -> DECODER.decode("bomb.png", bomb));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(SaliencyException.Kind.IMAGE_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("30000x30000"), e.getMessage());
        assertTrue(e.getMessage().contains("not decoded"), e.getMessage());
        assertTrue(seconds < 1.0, "took " + seconds + " s");
    }

    @Test
    void aByteLimitIsEnforcedBeforeReading() throws Exception {
        Path file = Files.write(dir.resolve("p.png"), TestImages.encode(PATTERN, ".png"));
        ImageDecoder strict = new ImageDecoder(new ImageLimits(100, 1_000_000));
        SaliencyException e = assertThrows(SaliencyException.class, () -> strict.decode(ImageInput.file(file)));
        assertEquals(SaliencyException.Kind.IMAGE_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("more than the limit of 100"), e.getMessage());
    }

    @Test
    void missingFilesAndDirectoriesAreNamed() {
        SaliencyException missing = assertThrows(SaliencyException.class,
                () -> DECODER.decode(ImageInput.file(dir.resolve("absent.png"))));
        assertTrue(missing.getMessage().endsWith("absent.png: no such file"), missing.getMessage());
        SaliencyException folder = assertThrows(SaliencyException.class, () -> DECODER.decode(ImageInput.file(dir)));
        assertTrue(folder.getMessage().contains("is a directory"), folder.getMessage());
    }

    @Test
    void filesBytesAndPicturesDecodeAlike() throws Exception {
        byte[] png = TestImages.encode(PATTERN, ".png");
        Path file = Files.write(dir.resolve("p.png"), png);
        assertArrayEquals(PATTERN.toRgbBytes(), DECODER.decode(ImageInput.file(file)).toRgbBytes());
        assertArrayEquals(PATTERN.toRgbBytes(), DECODER.decode(ImageInput.bytes("p", png)).toRgbBytes());
        assertArrayEquals(PATTERN.toRgbBytes(), DECODER.decode(ImageInput.picture("p", PATTERN)).toRgbBytes());
    }

    private static void assertRefused(byte[] bytes, SaliencyException.Kind kind, String fragment) {
        SaliencyException e = assertThrows(SaliencyException.class, () -> DECODER.decode("input.bin", bytes));
        assertEquals(kind, e.kind());
        assertTrue(e.getMessage().startsWith("input.bin: ") && e.getMessage().contains(fragment), e.getMessage());
    }

    private static byte[] encodeLosslessWebp(Picture picture) {
        try (PointerScope scope = new PointerScope()) {
            org.bytedeco.javacpp.BytePointer buffer = new org.bytedeco.javacpp.BytePointer();
            // Quality above 100 selects WebP's lossless mode in OpenCV.
            org.bytedeco.opencv.global.opencv_imgcodecs.imencode(".webp", TestImages.bgr(picture), buffer,
                    new org.bytedeco.javacpp.IntPointer(org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY, 101));
            byte[] bytes = new byte[(int) buffer.limit()];
            buffer.get(bytes);
            return bytes;
        }
    }

    /** Inserts an APP1 Exif segment with one IFD0 entry, Orientation, right after the JPEG's SOI marker. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] exif = ByteBuffer.allocate(6 + 26).put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1))
                .put(TestImages.exifOrientation(orientation)).array();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write((exif.length + 2) >> 8);
        out.write((exif.length + 2) & 0xff);
        out.write(exif, 0, exif.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A PNG that declares width x height RGB pixels, with a few hundred KB of compressed zero rows. */

    /**
     * Hostile files: thousands of random corruptions (bit flips, overwritten runs, truncations) of valid images in
     * every format either decode or are refused with an image error; nothing else is thrown, and the JVM lives.
     */
    @ParameterizedTest
    @ValueSource(strings = {".jpg", ".png", ".bmp", ".tiff", ".webp"})
    void corruptedFilesAreDecodedOrRefusedNeverAnythingElse(String extension) {
        byte[] valid = TestImages.encode(TestImages.pattern(96, 64, 3), extension);
        Random random = new Random(extension.hashCode());
        int refused = 0;
        for (int i = 0; i < 600; i++) {
            byte[] bytes = valid.clone();
            switch (i % 3) {
                case 0 -> {
                    for (int k = 0; k < 1 + random.nextInt(8); k++) {
                        int at = random.nextInt(bytes.length);
                        bytes[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> {
                    int at = random.nextInt(bytes.length);
                    int run = Math.min(bytes.length - at, 1 + random.nextInt(64));
                    for (int k = 0; k < run; k++) {
                        bytes[at + k] = (byte) random.nextInt(256);
                    }
                }
                default -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            try {
                Picture picture = DECODER.decode("fuzz" + extension, bytes);
                assertTrue(picture.width() > 0 && picture.height() > 0);
            } catch (SaliencyException e) {
                assertTrue(e.kind() == SaliencyException.Kind.IMAGE || e.kind() == SaliencyException.Kind.IMAGE_FORMAT
                        || e.kind() == SaliencyException.Kind.IMAGE_TOO_LARGE, e.kind() + ": " + e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 0, "some corruptions are refused");
    }

    /** A simple-format WebP (RIFF, one VP8L chunk) rewritten in the extended format with an EXIF chunk. */
    private static byte[] extendedWebp(byte[] simple, Picture picture, int orientation) {
        byte[] image = Arrays.copyOfRange(simple, 12, simple.length);
        byte[] exif = TestImages.exifOrientation(orientation);
        ByteBuffer vp8x = ByteBuffer.allocate(18).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        vp8x.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).put((byte) 0x08).put(new byte[3]);
        int w = picture.width() - 1;
        int h = picture.height() - 1;
        vp8x.put((byte) w).put((byte) (w >> 8)).put((byte) (w >> 16)).put((byte) h).put((byte) (h >> 8)).put((byte) (h >> 16));
        ByteBuffer exifChunk = ByteBuffer.allocate(8 + exif.length + exif.length % 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        exifChunk.put("EXIF".getBytes(StandardCharsets.US_ASCII)).putInt(exif.length).put(exif);
        int body = 4 + vp8x.capacity() + image.length + exifChunk.capacity();
        return ByteBuffer.allocate(8 + body).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(body).put("WEBP".getBytes(StandardCharsets.US_ASCII))
                .put(vp8x.array()).put(image).put(exifChunk.array()).array();
    }

    /** Pillow writes little-endian TIFFs with the directory at offset 8; other writers big-endian ones. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tiffsInEitherByteOrderDecodeToTheExactPixels(boolean littleEndian) {
        byte[] tiff = TestImages.tiff(PATTERN, littleEndian);
        Picture decoded = DECODER.decode("pattern.tiff", tiff);
        assertArrayEquals(PATTERN.toRgbBytes(), decoded.toRgbBytes());
        assertEquals(new org.saliency4j.ImageSize(37, 23), DECODER.declaredSize("pattern.tiff", tiff));
    }

    /**
     * Two ImageWidth entries: a reader taking the second sees 20 x 200 = 4,000 pixels, within a 10,000 limit,
     * while libtiff may decode the first, 200 x 200. The size is ambiguous, so the image is refused.
     */
    @Test
    void aTiffWithTwoWidthsIsRefused() {
        ImageDecoder strict = new ImageDecoder(new ImageLimits(1 << 20, 10_000));
        for (boolean littleEndian : new boolean[]{false, true}) {
            byte[] tiff = TestImages.tiff(TestImages.pattern(200, 200, 5), littleEndian, 256, 20);
            SaliencyException e = assertThrows(SaliencyException.class, () -> strict.decode("two-widths.tiff", tiff));
            assertEquals(SaliencyException.Kind.IMAGE, e.kind());
            assertTrue(e.getMessage().contains("tag 256 appears twice"), e.getMessage());
            assertThrows(SaliencyException.class, () -> strict.declaredSize("two-widths.tiff", tiff));
        }
    }

    /** Pixels handed over already decoded are held to the same pixel limit as encoded images. */
    @Test
    void decodedPicturesAreHeldToThePixelLimit() {
        ImageDecoder strict = new ImageDecoder(new ImageLimits(1 << 20, 800));
        SaliencyException e = assertThrows(SaliencyException.class,
                () -> strict.decode(ImageInput.picture("given", PATTERN)));
        assertEquals(SaliencyException.Kind.IMAGE_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().startsWith("given: the picture has 37x23 = 851 pixels"), e.getMessage());
        assertEquals(37, new ImageDecoder(new ImageLimits(1 << 20, 851)).decode(ImageInput.picture("given", PATTERN)).width());
    }

    @Test
    void aDecodedSizeOtherThanTheDeclaredOneIsRefused() {
        ImageProbe.Header header = new ImageProbe.Header(ImageType.TIFF, 100, 20_000, 1, 3, 1);
        ImageDecoder.requireDeclaredSize("same.tiff", header, 100, 20_000);
        SaliencyException e = assertThrows(SaliencyException.class,
                () -> ImageDecoder.requireDeclaredSize("crafted.tiff", header, 20_000, 20_000));
        assertEquals(SaliencyException.Kind.IMAGE, e.kind());
        assertTrue(e.getMessage().contains("read 20000x20000 pixels where the header declares 100x20000"), e.getMessage());
    }

    /** Behind the probe, OpenCV's own decoders refuse images over the default limit (set in the environment). */
    @Test
    void openCvsOwnDecoderLimitIsTheDefaultPixelLimit() {
        assertEquals(String.valueOf(ImageLimits.defaults().maxPixels()), System.getenv("OPENCV_IO_MAX_IMAGE_PIXELS"));
        byte[] bomb = TestImages.pngBomb(8001, 8000);
        try (PointerScope scope = new PointerScope()) {
            Mat decoded = org.bytedeco.opencv.global.opencv_imgcodecs.imdecode(
                    new Mat(new org.bytedeco.javacpp.BytePointer(bomb)),
                    org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED);
            assertTrue(decoded == null || decoded.empty(), "OpenCV decoded 8001x8000 pixels");
        } catch (RuntimeException e) {
            assertTrue(e.getMessage().contains("CV_IO_MAX_IMAGE_PIXELS"), e.getMessage());
        }
    }

    /**
     * A 52-byte PNG whose second chunk declares 256 MB (which a 512 MB heap can hold) or 2 GB: refused from
     * the bytes present, allocating nothing much. (A metadata library allocated the declared length.)
     */
    @Test
    void aChunkLongerThanTheFileIsRefusedWithoutAllocatingIt() {
        byte[] valid = TestImages.encode(PATTERN, ".png");
        for (int declared : new int[]{256 << 20, 0x7FFF_FFF0}) {
            ByteBuffer png = ByteBuffer.allocate(52);
            png.put(valid, 0, 33);                               // signature and IHDR
            png.putInt(declared).put("tEXt".getBytes(StandardCharsets.US_ASCII)).put(new byte[11]);
            SaliencyException[] refusal = new SaliencyException[1];
            long allocated = allocatedBytes(() -> refusal[0] = assertThrows(SaliencyException.class,
                    () -> DECODER.declaredSize("tiny.png", png.array())));
            assertTrue(allocated < 1 << 20, declared + " declared: allocated " + allocated + " bytes");
            assertEquals(SaliencyException.Kind.IMAGE, refusal[0].kind());
            assertTrue(refusal[0].getMessage().contains("declares " + declared + " bytes"), refusal[0].getMessage());
        }
    }

    /**
     * A zTXt chunk of 64 MB of deflated zeros (64 KB): the probe decompresses nothing (a metadata library inflated
     * such chunks whole), and the image decodes (libpng skips text chunks over its own 8 MB limit).
     */
    @Test
    void aCompressedTextBombIsNeverInflatedByTheProbe() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1));
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(9);
        byte[] zeros = new byte[1 << 20];
        byte[] buffer = new byte[1 << 16];
        for (int i = 0; i < 64; i++) {
            deflater.setInput(zeros);
            while (!deflater.needsInput()) {
                text.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            text.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        byte[] png = TestImages.withPngChunk(TestImages.encode(PATTERN, ".png"), "zTXt", text.toByteArray());
        assertTrue(png.length < 1 << 20, png.length + " bytes");
        long allocated = allocatedBytes(() -> assertEquals(new org.saliency4j.ImageSize(37, 23),
                DECODER.declaredSize("bomb.png", png)));
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
        assertArrayEquals(PATTERN.toRgbBytes(), DECODER.decode("bomb.png", png).toRgbBytes());
    }

    private static long allocatedBytes(Runnable work) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
