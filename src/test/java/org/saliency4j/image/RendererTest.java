package org.saliency4j.image;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.saliency4j.RenderKind;
import org.saliency4j.RenderOptions;
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
        Picture heat = Renderer.render(MAP, VIEW, VIEW, WHOLE, options(RenderKind.HEATMAP, colorMap));
        assertArrayEquals(openCvHeat(colorMap).toRgbBytes(), heat.toRgbBytes());
    }

    @Test
    void greyHeatMapsAreTheEightBitMapInEachChannel() {
        Picture heat = Renderer.render(MAP, VIEW, VIEW, WHOLE, options(RenderKind.HEATMAP, ColorMap.GRAY));
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
        Picture overlay = Renderer.render(MAP, VIEW, VIEW, WHOLE, o);
        try (PointerScope scope = new PointerScope()) {
            Mat expected = new Mat();
            opencv_core.addWeighted(Mats.rgb(VIEW), 0.7, Mats.rgb(openCvHeat(ColorMap.JET)), 0.3, 0, expected);
            assertArrayEquals(Mats.picture(expected).toRgbBytes(), overlay.toRgbBytes());
        }
    }

    @Test
    void panelsShowTheWindowedMapTheInputAndTheMix() {
        RenderOptions o = options(RenderKind.PANEL, ColorMap.GRAY);
        Picture panel = Renderer.render(MAP, VIEW, VIEW, WHOLE, o);
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
        Picture overlay = Renderer.render(MAP, VIEW, original, region, o);
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
        Picture heat = Renderer.render(new SaliencyMap(SIZE, SIZE, values), VIEW, VIEW, WHOLE,
                options(RenderKind.HEATMAP, ColorMap.GRAY));
        assertEquals(0, heat.channel(0, 0, 0));
        assertEquals(255, heat.channel(1, 0, 0));
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
