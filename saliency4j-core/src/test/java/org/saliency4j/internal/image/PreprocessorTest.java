package org.saliency4j.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Random;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.saliency4j.CropRegion;
import org.saliency4j.ImageLimits;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;

class PreprocessorTest {
    private static final float[] MEAN = Preprocessing.IMAGENET_MEAN;
    private static final float[] STD = Preprocessing.IMAGENET_STD;

    @Test
    void a256SquareImageGivesTorchvisionsTensorExactly() {
        Picture image = TestImages.pattern(256, 256, 1);
        ModelInput input = Preprocessor.prepare(image, Preprocessing.torchvision());
        // torchvision: no resize at 256, crop offset round((256 - 224) / 2) = 16, x / 255 then (x - mean) / std.
        assertArrayEquals(torchvisionTensor(image, 16, 16, 224), input.tensor());
        assertEquals(new CropRegion(16, 16, 224, 224), input.region());
    }

    @Test
    void theCentreCropRoundsHalfToEvenAsPythonDoes() {
        // 256 wide, already at the resize size; (289 - 224) / 2 = 32.5 rounds to 32, (291 - 224) / 2 = 33.5 to 34.
        Picture odd = TestImages.pattern(256, 289, 2);
        assertArrayEquals(torchvisionTensor(odd, 16, 32, 224), Preprocessor.prepare(odd, Preprocessing.torchvision()).tensor());
        Picture odder = TestImages.pattern(256, 291, 3);
        assertArrayEquals(torchvisionTensor(odder, 16, 34, 224), Preprocessor.prepare(odder, Preprocessing.torchvision()).tensor());
    }

    @Test
    void otherSizesResizeTheShorterSideTo256ThenCropTheCentre() {
        Picture image = TestImages.pattern(300, 200, 4);
        ModelInput input = Preprocessor.prepare(image, Preprocessing.torchvision());
        // Shorter side 200 -> 256, longer int(256 * 300 / 200) = 384; the crop starts at ((384 - 224) / 2, 16).
        Picture expected = cropOf(PilResize.resize(image, 384, 256), 80, 16, 224);
        assertArrayEquals(expected.toRgbBytes(), input.view().toRgbBytes());
        assertArrayEquals(torchvisionTensor(expected, 0, 0, 224), input.tensor());
        CropRegion r = input.region();
        assertEquals(80 * 300 / 384.0, r.x(), 1e-9);
        assertEquals(16 * 200 / 256.0, r.y(), 1e-9);
        assertEquals(224 * 300 / 384.0, r.width(), 1e-9);
        assertEquals(224 * 200 / 256.0, r.height(), 1e-9);
    }

    @Test
    void tallImagesKeepTheirWidthAt256() {
        Picture image = TestImages.pattern(500, 600, 5);
        ModelInput input = Preprocessor.prepare(image, Preprocessing.torchvision());
        // 500 -> 256, 600 -> int(256 * 600 / 500) = 307; top = round(41.5) = 42.
        Picture expected = cropOf(PilResize.resize(image, 256, 307), 16, 42, 224);
        assertArrayEquals(expected.toRgbBytes(), input.view().toRgbBytes());
    }

    @Test
    void stretchResizesTheWholeImageWithoutCropping() {
        Picture image = TestImages.pattern(300, 200, 6);
        ModelInput input = Preprocessor.prepare(image, Preprocessing.stretch());
        assertArrayEquals(PilResize.resize(image, 224, 224).toRgbBytes(), input.view().toRgbBytes());
        assertEquals(new CropRegion(0, 0, 300, 200), input.region());
    }

    @Test
    void pillowsFilterWidensWhenShrinking() {
        // 4x1 -> 2x1: scale 2, so the triangle filter spans 2 source pixels each side. Output 0 has centre 1.0 and
        // reads pixels 0..2 with weights 0.75, 0.75, 0.25 (normalised by 1.75): (0*.75 + 100*.75 + 200*.25) / 1.75.
        Picture row = new Picture(4, 1, new byte[]{0, 0, 0, 100, 100, 100, (byte) 200, (byte) 200, (byte) 200,
                (byte) 255, (byte) 255, (byte) 255});
        Picture half = PilResize.resize(row, 2, 1);
        assertEquals(Math.round((100 * 0.75 + 200 * 0.25) / 1.75), half.channel(0, 0, 0));
        // Output 1 has centre 3.0 and reads pixels 1..3 with weights 0.25, 0.75, 0.75.
        assertEquals(Math.round((100 * 0.25 + 200 * 0.75 + 255 * 0.75) / 1.75), half.channel(1, 0, 0));
    }

    @Test
    void enlargingIsPlainBilinearWithHalfPixelCentres() {
        // 2x1 -> 4x1: output centres at 0.25, 0.75, 1.25, 1.75 in source coordinates; pixel centres at 0.5 and 1.5.
        Picture row = new Picture(2, 1, new byte[]{0, 0, 0, 100, 100, 100});
        Picture twice = PilResize.resize(row, 4, 1);
        int[] expected = {0, 25, 75, 100};
        for (int x = 0; x < 4; x++) {
            assertEquals(expected[x], twice.channel(x, 0, 1), "x " + x);
        }
    }

    @Test
    void sizesMeanAndStdAreSettable() {
        Picture image = TestImages.pattern(64, 64, 7);
        float[] mean = {0.5f, 0.5f, 0.5f};
        float[] std = {0.25f, 0.5f, 1f};
        Preprocessing p = new Preprocessing(Preprocessing.Mode.TORCHVISION, 64, 32, mean, std);
        ModelInput input = Preprocessor.prepare(image, p);
        assertEquals(3 * 32 * 32, input.tensor().length);
        float[] expected = new float[3 * 32 * 32];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    float v = image.channel(x + 16, y + 16, c) / 255f;
                    expected[(c * 32 + y) * 32 + x] = (v - mean[c]) / std[c];
                }
            }
        }
        assertArrayEquals(expected, input.tensor());
    }

    /** torchvision's ToTensor + Normalize of the size x size crop at (left, top), written out in float32. */
    static float[] torchvisionTensor(Picture image, int left, int top, int size) {
        float[] out = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    float scaled = image.channel(left + x, top + y, c) / 255f;
                    out[(c * size + y) * size + x] = (scaled - MEAN[c]) / STD[c];
                }
            }
        }
        return out;
    }

    private static Picture cropOf(Picture image, int left, int top, int size) {
        return cropOf(image, left, top, size, size);
    }

    private static Picture cropOf(Picture image, int left, int top, int width, int height) {
        try (PointerScope scope = new PointerScope()) {
            return Mats.picture(new Mat(Mats.rgb(image), new Rect(left, top, width, height)).clone());
        }
    }

    /** Resizing only the window a crop keeps gives the window of the whole resize, pixel for pixel. */
    @Test
    void aWindowOfTheResizeEqualsTheCroppedWholeResize() {
        int[][] cases = {{451, 300, 256, 170, 16, 5, 224, 160}, {300, 451, 170, 256, 0, 20, 170, 224},
                {64, 64, 256, 256, 16, 16, 224, 224}, {120, 90, 120, 60, 10, 3, 100, 50}, {90, 120, 45, 120, 2, 7, 40, 100}};
        for (int[] c : cases) {
            Picture image = TestImages.pattern(c[0], c[1], 4);
            Picture whole = PilResize.resize(image, c[2], c[3]);
            Picture window = PilResize.resize(image, c[2], c[3], c[4], c[5], c[6], c[7]);
            byte[] expected = new byte[c[6] * c[7] * 3];
            for (int y = 0; y < c[7]; y++) {
                System.arraycopy(whole.toRgbBytes(), ((c[5] + y) * c[2] + c[4]) * 3, expected, y * c[6] * 3, c[6] * 3);
            }
            assertArrayEquals(expected, window.toRgbBytes(), java.util.Arrays.toString(c));
        }
    }

    /**
     * Random images of odd sizes, resized up and down on each axis independently, random windows: the window
     * alone equals the whole resize cropped to it, pixel for pixel.
     */
    @Test
    void randomWindowsOfRandomResizesEqualTheCroppedWholeResize() {
        Random random = new Random(91);
        for (int trial = 0; trial < 60; trial++) {
            int inW = 1 + 2 * random.nextInt(60);
            int inH = 1 + 2 * random.nextInt(60);
            int outW = 1 + random.nextInt(4 * inW + 8);
            int outH = 1 + random.nextInt(4 * inH + 8);
            int cropW = 1 + random.nextInt(outW);
            int cropH = 1 + random.nextInt(outH);
            int left = random.nextInt(outW - cropW + 1);
            int top = random.nextInt(outH - cropH + 1);
            Picture image = TestImages.pattern(inW, inH, trial);
            Picture window = PilResize.resize(image, outW, outH, left, top, cropW, cropH);
            Picture whole = PilResize.resize(image, outW, outH);
            String what = inW + "x" + inH + " -> " + outW + "x" + outH + ", window " + cropW + "x" + cropH
                    + " at " + left + "," + top;
            assertArrayEquals(cropOf(whole, left, top, cropW, cropH).toRgbBytes(), window.toRgbBytes(), what);
        }
    }

    /**
     * A 1,000,000 x 1 PNG (3 KB): torchvision's Resize(256) makes it 256,000,000 x 256, of which the crop keeps
     * 224 x 224. Only that window is computed: quickly, and allocating little more than the picture's own copy.
     */
    @Test
    void aThinImageCostsItsCropNotItsResizedWidth() {
        byte[] png;
        try (PointerScope scope = new PointerScope()) {
            png = TestImages.encode(new Mat(1, 1_000_000, CV_8UC3, new Scalar(40, 120, 200, 0)), ".png");
        }
        assertTrue(png.length < 10_000, png.length + " bytes");
        Picture thin = new ImageDecoder(ImageLimits.defaults()).decode("thin.png", png);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        ModelInput input = Preprocessor.prepare(thin, Preprocessing.torchvision());
        double seconds = (System.nanoTime() - start) / 1e9;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertTrue(seconds < 0.5, "took " + seconds + " s");
        assertTrue(allocated < 16L << 20, "allocated " + allocated + " bytes");
        // One colour everywhere: the crop is that colour (RGB of OpenCV's BGR scalar).
        for (int i = 0; i < 224 * 224; i += 997) {
            assertEquals(200, input.view().channel(i % 224, i / 224, 0));
            assertEquals(120, input.view().channel(i % 224, i / 224, 1));
            assertEquals(40, input.view().channel(i % 224, i / 224, 2));
        }
        // The crop is 224 of the 256,000,000 resized columns, at round((256,000,000 - 224) / 2) = 127,999,888.
        assertEquals(127_999_888 / 256.0, input.region().x(), 1e-6);
        assertEquals(224 / 256.0, input.region().width(), 1e-9);
    }

    /**
     * Resized sizes beyond int are computed exactly: a 300,001 x 1 picture resized to 8192 high is 2,457,608,192
     * wide. With scale 1/8192 each output column reads one or two source columns, so the window equals the same
     * window of a 21-pixel slice around it resized by the same factor (whose size fits in an int).
     */
    @Test
    void resizedSizesBeyondIntAreExact() {
        Picture thin = TestImages.pattern(300_001, 1, 12);
        Preprocessing p = new Preprocessing(Preprocessing.Mode.TORCHVISION, 8192, 224, MEAN, STD);
        ModelInput input = Preprocessor.prepare(thin, p);
        long newW = 8192L * 300_001;
        long left = (long) Math.rint((newW - 224) / 2.0);
        long top = (8192 - 224) / 2;
        int sliceStart = (int) (left / 8192) - 10;
        byte[] slice = new byte[21 * 3];
        System.arraycopy(thin.toRgbBytes(), sliceStart * 3, slice, 0, slice.length);
        Picture expected = PilResize.resize(new Picture(21, 1, slice), 21 * 8192, 8192,
                left - sliceStart * 8192L, top, 224, 224);
        assertArrayEquals(expected.toRgbBytes(), input.view().toRgbBytes());
    }

    /**
     * Shrinking 1,000,003 pixels to 200 makes each output's filter 10,003 taps wide, so the window's coefficients
     * are made in blocks of 104 outputs: the 200 outputs in one call equal two calls of 100 (one block each),
     * along either axis.
     */
    @Test
    void wideFiltersComputedInBlocksEqualThemComputedWhole() {
        for (boolean wide : new boolean[]{true, false}) {
            Picture image = wide ? TestImages.pattern(1_000_003, 3, 13) : TestImages.pattern(3, 1_000_003, 13);
            int outW = wide ? 200 : 2;
            int outH = wide ? 2 : 200;
            Picture all = PilResize.resize(image, outW, outH, 0, 0, outW, outH);
            Picture first = PilResize.resize(image, outW, outH, 0, 0, wide ? 100 : 2, wide ? 2 : 100);
            Picture second = PilResize.resize(image, outW, outH, wide ? 100 : 0, wide ? 0 : 100, wide ? 100 : 2,
                    wide ? 2 : 100);
            assertArrayEquals(cropOf(all, 0, 0, first.width(), first.height()).toRgbBytes(), first.toRgbBytes());
            assertArrayEquals(cropOf(all, wide ? 100 : 0, wide ? 0 : 100, second.width(), second.height()).toRgbBytes(),
                    second.toRgbBytes());
        }
    }
}
