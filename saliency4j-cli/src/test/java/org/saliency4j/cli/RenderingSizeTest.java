package org.saliency4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.ImageLimits;
import org.saliency4j.Picture;
import org.saliency4j.internal.image.ImageDecoder;
import org.saliency4j.internal.image.TestImages;

/** The CLI's renderings are bounded like decoded images: auto-zoom only enlarges small pictures, --zoom is checked. */
class RenderingSizeTest {
    @TempDir
    Path dir;

    /**
     * A 4000 x 1 and a 12000 x 1 image rendered over the original with the automatic zoom: they are not enlarged
     * (the height-based zoom tried 1,024,000 x 256, and ended in NegativeArraySizeException for 12000 x 1).
     */
    @Test
    void thinImagesOverTheOriginalAreNotEnlarged() throws Exception {
        for (int width : new int[]{4000, 12_000}) {
            Path image = Files.write(dir.resolve("thin" + width + ".png"),
                    TestImages.encode(TestImages.pattern(width, 1, width), ".png"));
            Path out = dir.resolve("thin" + width + "-overlay.png");
            ExplainCommandTest.Run r = ExplainCommandTest.run("explain", "--image", image.toString(),
                    "--geometry", "original", "--out", out.toString());
            assertEquals(0, r.exit(), r.err());
            Picture rendered = new ImageDecoder(ImageLimits.defaults()).decode(
                    org.saliency4j.ImageInput.file(out));
            assertEquals(width, rendered.width());
            assertEquals(1, rendered.height());
        }
    }

    /** The demo's small renderings are still enlarged to 256 px high, panels included. */
    @Test
    void smallRenderingsAreStillEnlarged() throws Exception {
        Path out = dir.resolve("demo.png");
        ExplainCommandTest.Run r = ExplainCommandTest.run("explain", "--render", "panel", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        Picture panel = new ImageDecoder(ImageLimits.defaults()).decode(org.saliency4j.ImageInput.file(out));
        assertEquals(256, panel.height());
        assertEquals(768, panel.width());
    }

    /** An explicit --zoom beyond the bound is an error naming --zoom, and nothing is written. */
    @Test
    void aZoomBeyondTheBoundIsRefusedNamingZoom() {
        Path out = dir.resolve("zoomed.png");
        ExplainCommandTest.Run r = ExplainCommandTest.run("explain", "--zoom", "64", "--max-pixels", "1000000",
                "--out", out.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.err().contains("--zoom: 64 would enlarge the 64x64 rendering to 4096x4096"), r.err());
        assertTrue(!Files.exists(out));
    }
}
