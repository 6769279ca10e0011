package org.saliency4j.internal.image;

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

/** The native kernel's overlay of a built map equals the OpenCV path's (Renderer) byte for byte. */
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
                    SaliencyMap map = map(attribution, view, Reduction.ABS_MAX, Normalization.minMax());
                    assertArrayEquals(openCv(map, view, colorMap, alpha), fused(map, view, colorMap, alpha),
                            java.util.Arrays.toString(c) + " " + colorMap + " " + alpha);
                }
            }
        }
    }

    @Test
    void anyMapIsOverlaidAsTheOpenCvPathDoesIncludingValuesOutsideZeroToOne() {
        assumeTrue(FusedOverlay.AVAILABLE);
        Random random = new Random(8);
        float[] attribution = new float[3 * 40 * 30];
        for (int i = 0; i < attribution.length; i++) {
            attribution[i] = (float) random.nextGaussian();
        }
        Picture view = TestImages.pattern(30, 40, 3);
        // A signed sum left unnormalised reaches far outside [0, 1]: both paths clip it the same way.
        for (Reduction reduction : Reduction.values()) {
            for (Normalization normalization : new Normalization[]{Normalization.minMax(), Normalization.none(),
                    Normalization.percentile(90)}) {
                SaliencyMap map = map(attribution, view, reduction, normalization);
                assertArrayEquals(openCv(map, view, ColorMap.TURBO, 0.4), fused(map, view, ColorMap.TURBO, 0.4),
                        reduction + " " + normalization);
            }
        }
    }

    @Test
    void aConstantMapIsAllTheLowestColour() {
        assumeTrue(FusedOverlay.AVAILABLE);
        float[] attribution = new float[3 * 8 * 8];
        java.util.Arrays.fill(attribution, 0.25f);
        Picture view = TestImages.pattern(8, 8, 2);
        SaliencyMap map = map(attribution, view, Reduction.ABS_MAX, Normalization.minMax());
        byte[] lowest = Renderer.colorTable(ColorMap.JET);
        byte[] expected = view.toRgbBytes();
        for (int i = 0; i < expected.length; i++) {
            // addWeighted rounds background * 0.5 + colour * 0.5 to the nearest, ties to even.
            expected[i] = (byte) Math.rint((expected[i] & 0xff) * 0.5f + (lowest[i % 3] & 0xff) * 0.5f);
        }
        assertArrayEquals(openCv(map, view, ColorMap.JET, 0.5), fused(map, view, ColorMap.JET, 0.5));
        assertArrayEquals(expected, fused(map, view, ColorMap.JET, 0.5));
    }

    private static SaliencyMap map(float[] attribution, Picture view, Reduction reduction,
                                   Normalization normalization) {
        Preprocessing p = Preprocessing.torchvision();
        return MapBuilder.build(attribution, view.height(), view.width(), reduction, normalization, p.mean(),
                p.std());
    }

    private static byte[] openCv(SaliencyMap map, Picture view, ColorMap colorMap, double alpha) {
        return Renderer.render("test", map, view, view, new CropRegion(0, 0, view.width(), view.height()),
                RenderOptions.defaults().withColorMap(colorMap).withAlpha(alpha)).toRgbBytes();
    }

    private static byte[] fused(SaliencyMap map, Picture view, ColorMap colorMap, double alpha) {
        return Renderer.fusedOverlay(map, view, RenderOptions.defaults().withColorMap(colorMap).withAlpha(alpha))
                .toRgbBytes();
    }
}
