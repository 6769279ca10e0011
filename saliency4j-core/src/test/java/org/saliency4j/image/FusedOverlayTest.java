package org.saliency4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saliency4j.ColorMap;
import org.saliency4j.CropRegion;
import org.saliency4j.Normalization;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;
import org.saliency4j.Reduction;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyMap;

/** The native kernel's overlay equals the OpenCV path's byte for byte: MapBuilder (abs-max, min-max), then Renderer. */
class FusedOverlayTest {

    @Test
    void theKernelIsBuiltAndLoadsWhereTheCpuHasAvx2AndFma() throws Exception {
        String flags = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/cpuinfo"));
        assumeTrue(flags.contains(" avx2") && flags.contains(" fma"), "the kernel needs AVX2 and FMA");
        // Built by Maven with CMake and JavaCPP: loading it must work wherever the CPU can run it.
        assertTrue(FusedOverlay.AVAILABLE);
    }

    @Test
    void overlaysEqualTheOpenCvPathByteForByte() {
        assumeTrue(FusedOverlay.AVAILABLE);
        int[][] cases = {{3, 224, 224}, {3, 64, 64}, {1, 50, 70}, {3, 17, 9}};
        Random random = new Random(5);
        for (int[] c : cases) {
            for (ColorMap colorMap : new ColorMap[]{ColorMap.JET, ColorMap.VIRIDIS, ColorMap.GRAY}) {
                for (double alpha : new double[]{0.5, 0.3, 0.77}) {
                    float[] attribution = new float[c[0] * c[1] * c[2]];
                    for (int i = 0; i < attribution.length; i++) {
                        attribution[i] = (float) (random.nextGaussian() * Math.exp(random.nextGaussian()));
                    }
                    Picture view = TestImages.pattern(c[2], c[1], random.nextLong());
                    assertArrayEquals(openCv(attribution, view, colorMap, alpha), fused(attribution, c[0], view,
                            colorMap, alpha), java.util.Arrays.toString(c) + " " + colorMap + " " + alpha);
                }
            }
        }
    }

    @Test
    void aConstantMapIsAllTheLowestColour() {
        assumeTrue(FusedOverlay.AVAILABLE);
        float[] attribution = new float[3 * 8 * 8];
        java.util.Arrays.fill(attribution, 0.25f);
        Picture view = TestImages.pattern(8, 8, 2);
        assertArrayEquals(openCv(attribution, view, ColorMap.JET, 0.5), fused(attribution, 3, view, ColorMap.JET, 0.5));
    }

    private static byte[] openCv(float[] attribution, Picture view, ColorMap colorMap, double alpha) {
        Preprocessing p = Preprocessing.torchvision();
        SaliencyMap map = MapBuilder.build(attribution, view.height(), view.width(), Reduction.ABS_MAX,
                Normalization.minMax(), p.mean(), p.std());
        return Renderer.render("test", map, view, view, new CropRegion(0, 0, view.width(), view.height()),
                RenderOptions.defaults().withColorMap(colorMap).withAlpha(alpha)).toRgbBytes();
    }

    private static byte[] fused(float[] attribution, int channels, Picture view, ColorMap colorMap, double alpha) {
        byte[] out = new byte[view.width() * view.height() * 3];
        FusedOverlay.overlay(attribution, channels, view.height(), view.width(), view.toRgbBytes(),
                Renderer.colorTable(colorMap), (float) alpha, (float) (1 - alpha), out);
        return out;
    }
}
