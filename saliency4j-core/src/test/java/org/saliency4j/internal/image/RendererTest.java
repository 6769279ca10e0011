package org.saliency4j.internal.image;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.saliency4j.ColorMap;
import org.saliency4j.CropRegion;
import org.saliency4j.Geometry;
import org.saliency4j.Picture;
import org.saliency4j.Reduction;
import org.saliency4j.RenderKind;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.SaliencyMap;

/** Renderings against OpenCV calls made here, pixel for pixel. */
class RendererTest {
    private static final int SIZE = 16;
    private static final SaliencyMap MAP = randomMap();
    private static final Picture VIEW = TestImages.pattern(SIZE, SIZE, 8);
    private static final CropRegion WHOLE = new CropRegion(0, 0, SIZE, SIZE);

    @ParameterizedTest
    @EnumSource(value = ColorMap.class, names = {"JET", "TURBO", "INFERNO", "VIRIDIS"})
    void heatMapsAreOpenCvsColourMapsOfTheEightBitMap(ColorMap colorMap) {
        Picture heat = Renderer.render("test", MAP, VIEW, VIEW, WHOLE, options(RenderKind.HEATMAP, colorMap));
        assertArrayEquals(openCvHeat(colorMap).toRgbBytes(), heat.toRgbBytes());
    }

    @Test
    void greyHeatMapsAreTheEightBitMapInEachChannel() {
        Picture heat = Renderer.render("test", MAP, VIEW, VIEW, WHOLE, options(RenderKind.HEATMAP, ColorMap.GRAY));
        for (int i = 0; i < SIZE * SIZE; i++) {
            int expected = (int) Math.round(MAP.toArray()[i] * 255.0);
            for (int c = 0; c < 3; c++) {
                assertEquals(expected, heat.channel(i % SIZE, i / SIZE, c));
            }
        }
    }

    @Test
    void overlaysAreTheWeightedSumOfInputAndHeat() {
        RenderOptions o = options(RenderKind.OVERLAY, ColorMap.JET).withAlpha(0.3);
        Picture overlay = Renderer.render("test", MAP, VIEW, VIEW, WHOLE, o);
        try (PointerScope scope = new PointerScope()) {
            Mat expected = new Mat();
            opencv_core.addWeighted(Mats.rgb(VIEW), 0.7, Mats.rgb(openCvHeat(ColorMap.JET)), 0.3, 0, expected);
            assertArrayEquals(Mats.picture(expected).toRgbBytes(), overlay.toRgbBytes());
        }
    }

    @Test
    void panelsShowTheWindowedMapTheInputAndTheMix() {
        RenderOptions o = options(RenderKind.PANEL, ColorMap.GRAY).withWindow(0.3, 0.7);
        Picture panel = Renderer.render("test", MAP, VIEW, VIEW, WHOLE, o);
        assertEquals(3 * SIZE, panel.width());
        assertEquals(SIZE, panel.height());
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double m = MAP.at(x, y);
                double windowed = Math.min(1, Math.max(0, (m - 0.3) / 0.4));
                assertEquals(Math.round(windowed * 255), panel.channel(x, y, 0), 1, "windowed " + x + "," + y);
                for (int c = 0; c < 3; c++) {
                    assertEquals(VIEW.channel(x, y, c), panel.channel(SIZE + x, y, c));
                    double mixed = Math.min(1, Math.max(0, m * 2 + VIEW.channel(x, y, c) / 255.0 / 2));
                    assertEquals(Math.round(mixed * 255), panel.channel(2 * SIZE + x, y, c), 1, "mixed " + x + "," + y);
                }
            }
        }
    }

    @Test
    void originalGeometryPlacesTheMapOverTheCropAndLeavesTheRestAlone() {
        Picture original = TestImages.pattern(40, 30, 9);
        CropRegion region = new CropRegion(10, 5, 20, 20);
        RenderOptions o = options(RenderKind.OVERLAY, ColorMap.JET).withGeometry(Geometry.ORIGINAL);
        Picture overlay = Renderer.render("test", MAP, VIEW, original, region, o);
        assertEquals(40, overlay.width());
        assertEquals(30, overlay.height());
        int changedInside = 0;
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                boolean outside = x < 9 || x > 30 || y < 4 || y > 25;
                for (int c = 0; c < 3; c++) {
                    if (outside) {
                        assertEquals(original.channel(x, y, c), overlay.channel(x, y, c), "outside " + x + "," + y);
                    } else if (original.channel(x, y, c) != overlay.channel(x, y, c)) {
                        changedInside++;
                    }
                }
            }
        }
        assertTrue(changedInside > 20 * 20, "the map is drawn inside the crop: " + changedInside);
    }

    @Test
    void valuesOutsideZeroOneAreClipped() {
        float[] values = new float[SIZE * SIZE];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 2 == 0 ? -3f : 7f;
        }
        Picture heat = Renderer.render("test", new SaliencyMap(SIZE, SIZE, values), VIEW, VIEW, WHOLE,
                options(RenderKind.HEATMAP, ColorMap.GRAY));
        assertEquals(0, heat.channel(0, 0, 0));
        assertEquals(255, heat.channel(1, 0, 0));
    }

    /**
     * Three panels over a 400 x 300 original are 1200 x 300 = 360,000 pixels: within a bound of 360,000, refused
     * with the image's name under 359,999, before anything is drawn.
     */
    @Test
    void aRenderingOverItsBoundIsRefusedBeforeDrawing() {
        Picture original = TestImages.pattern(400, 300, 2);
        CropRegion region = new CropRegion(50, 30, 300, 240);
        RenderOptions panels = options(RenderKind.PANEL, ColorMap.JET).withGeometry(Geometry.ORIGINAL);
        Picture drawn = Renderer.render("photo.png", MAP, VIEW, original, region, panels, 360_000);
        assertEquals(1200, drawn.width());
        assertEquals(300, drawn.height());
        SaliencyException e = assertThrows(SaliencyException.class,
                () -> Renderer.render("photo.png", MAP, VIEW, original, region, panels, 359_999));
        assertEquals(SaliencyException.Kind.IMAGE_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().startsWith("photo.png: the panel rendering over the original would be 1200x300"),
                e.getMessage());
        // Over the crop, the same panels are 48 x 16.
        assertEquals(48, Renderer.render("photo.png", MAP, VIEW, original, region, panels.withGeometry(Geometry.CROP),
                1000).width());
        // The public bound: the default image limit, or the original's own size when that is larger.
        assertEquals(64_000_000L, Renderer.renderLimit(original));
    }

    /** Enlargements stay within the bound: the largest zoom is exact, and beyond it nothing is allocated. */
    @Test
    void enlargementsAreBounded() {
        Picture thin = TestImages.pattern(4000, 1, 3);
        // 4000k x k <= 1,000,000 for k <= 15 (900,000); 16 gives 1,024,000.
        assertEquals(15, Renderer.largestZoom(thin, 1_000_000));
        assertEquals(1, Renderer.largestZoom(thin, 10));
        Picture enlarged = Renderer.enlarge(thin, 15, 1_000_000);
        assertEquals(60_000, enlarged.width());
        assertEquals(15, enlarged.height());
        assertEquals(thin.channel(1234, 0, 1), enlarged.channel(1234 * 15 + 7, 9, 1));
        assertThrows(IllegalArgumentException.class, () -> Renderer.enlarge(thin, 16, 1_000_000));
        // 12000 x 1 enlarged 256 times would be 3,072,000 x 256 pixels: more than any picture holds.
        Picture thinner = TestImages.pattern(12_000, 1, 4);
        assertThrows(IllegalArgumentException.class, () -> Renderer.enlarge(thinner, 256, Long.MAX_VALUE));
        assertTrue(Renderer.largestZoom(thinner, Long.MAX_VALUE) < 256);
    }

    private static Picture openCvHeat(ColorMap colorMap) {
        try (PointerScope scope = new PointerScope()) {
            Mat values = new Mat(SIZE, SIZE, CV_32F);
            new FloatPointer(values.data()).put(MAP.toArray());
            Mat bytes = new Mat();
            values.convertTo(bytes, CV_8U, 255, 0);
            Mat bgr = new Mat();
            int code = switch (colorMap) {
                case JET -> opencv_imgproc.COLORMAP_JET;
                case TURBO -> opencv_imgproc.COLORMAP_TURBO;
                case INFERNO -> opencv_imgproc.COLORMAP_INFERNO;
                case VIRIDIS -> opencv_imgproc.COLORMAP_VIRIDIS;
                default -> throw new IllegalArgumentException(colorMap.toString());
            };
            opencv_imgproc.applyColorMap(bytes, bgr, code);
            Mat rgb = new Mat();
            opencv_imgproc.cvtColor(bgr, rgb, opencv_imgproc.COLOR_BGR2RGB);
            return Mats.picture(rgb);
        }
    }

    @Test
    void theAutomaticWindowIsTheTutorialsForSeedMaps() {
        SaliencyMap seed = new SaliencyMap(SIZE, SIZE, MAP.toArray(), Reduction.SEED);
        RenderOptions panel = options(RenderKind.PANEL, ColorMap.JET);
        assertTrue(panel.automaticWindow());
        assertArrayEquals(Renderer.render("test", seed, VIEW, VIEW, WHOLE, panel.withWindow(0.3, 0.7)).toRgbBytes(),
                Renderer.render("test", seed, VIEW, VIEW, WHOLE, panel).toRgbBytes());
    }

    @Test
    void theAutomaticWindowOfOtherMapsRunsFromTheMinimumToThe99thPercentile() {
        float[] values = MAP.toArray();
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        // numpy.percentile(v, 99) for 256 values: rank 0.99 * 255 = 252.45 between the sorted values 252 and 253.
        double p99 = sorted[252] + 0.45 * ((double) sorted[253] - sorted[252]);
        RenderOptions panel = options(RenderKind.PANEL, ColorMap.GRAY);
        for (Reduction reduction : new Reduction[]{Reduction.ABS_MAX, Reduction.SUM, null}) {
            SaliencyMap map = new SaliencyMap(SIZE, SIZE, values, reduction);
            assertArrayEquals(Renderer.render("test", map, VIEW, VIEW, WHOLE, panel.withWindow(sorted[0], p99))
                    .toRgbBytes(), Renderer.render("test", map, VIEW, VIEW, WHOLE, panel).toRgbBytes(), "" + reduction);
        }
    }

    @Test
    void anEndLeftToTheMapIsTheAutomaticWindowsAndACrossedWindowNamesTheGivenEnd() {
        float[] values = MAP.toArray();
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double p99 = sorted[252] + 0.45 * ((double) sorted[253] - sorted[252]);
        RenderOptions panel = options(RenderKind.PANEL, ColorMap.GRAY);
        assertArrayEquals(Renderer.render("test", MAP, VIEW, VIEW, WHOLE, panel.withWindow(0.1, p99)).toRgbBytes(),
                Renderer.render("test", MAP, VIEW, VIEW, WHOLE, panel.withWindow(0.1, Double.NaN)).toRgbBytes());
        assertArrayEquals(Renderer.render("test", MAP, VIEW, VIEW, WHOLE, panel.withWindow(sorted[0], 0.9))
                .toRgbBytes(), Renderer.render("test", MAP, VIEW, VIEW, WHOLE, panel.withWindow(Double.NaN, 0.9))
                .toRgbBytes());
        SaliencyException crossed = assertThrows(SaliencyException.class,
                () -> Renderer.render("test", MAP, VIEW, VIEW, WHOLE, panel.withWindow(p99 + 0.01, Double.NaN)));
        assertEquals("vmin", crossed.input());
    }

    @Test
    void aWindowIsGivenOrSuitsTheMap() {
        assertFalse(RenderOptions.defaults().withWindow(0.2, 0.8).automaticWindow());
        assertTrue(RenderOptions.defaults().withWindow(0.2, 0.8).withAutomaticWindow().automaticWindow());
    }

    private static RenderOptions options(RenderKind kind, ColorMap colorMap) {
        return RenderOptions.defaults().withKind(kind).withColorMap(colorMap);
    }

    private static SaliencyMap randomMap() {
        Random random = new Random(12);
        float[] values = new float[SIZE * SIZE];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return new SaliencyMap(SIZE, SIZE, values);
    }
}
