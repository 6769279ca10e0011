package org.saliency4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.Parameter;
import org.saliency4j.method.MethodParameters;
import org.saliency4j.method.Methods;

/** The method options take their defaults and help from the registry, and its errors in their own spelling. */
class MethodOptionsTest {

    @Test
    void everyCommandsHelpShowsTheRegistrysDefaultsAndHelp() {
        for (String[] command : new String[][]{{"explain", "--help"}, {"bench", "--help"},
                {"eval", "pointing-game", "--help"}, {"eval", "sanity", "--help"}}) {
            ExplainCommandTest.Run r = ExplainCommandTest.run(command);
            assertEquals(0, r.exit(), r.err());
            String help = r.out().replaceAll("\\s+", " ");
            assertTrue(help.contains(Methods.names() + "; a noise tunnel may name its base"), help);
            assertTrue(help.contains("(default: vanilla)"), help);
            for (Parameter<?> p : new Parameter<?>[]{MethodParameters.NOISE, MethodParameters.STEPS,
                    MethodParameters.BASELINE, MethodParameters.SAMPLES, MethodParameters.LAYER, MethodParameters.WINDOW,
                    MethodParameters.STRIDE, MethodParameters.MASKS, MethodParameters.CELLS, MethodParameters.KEEP}) {
                assertTrue(help.contains(p.helpWithDefault()), command[0] + " " + p + ": " + help);
            }
        }
        String explain = ExplainCommandTest.run("explain", "--help").out().replaceAll("\\s+", " ");
        assertTrue(explain.contains(MethodParameters.SEED.help() + " (default: 0)."), explain);
    }

    @Test
    void theLibrarysErrorsAreShownAsTheOptionsThatCausedThem() {
        ExplainCommandTest.Run samples = ExplainCommandTest.run("explain", "--method", "smoothgrad", "--samples", "0");
        assertEquals(Main.EXIT_USAGE, samples.exit());
        assertTrue(samples.err().contains("--samples: must be between 1 and 10000, got 0"), samples.err());
        // 0 is the device's batch; below it, nothing.
        ExplainCommandTest.Run batch = ExplainCommandTest.run("explain", "--batch", "-1");
        assertEquals(Main.EXIT_USAGE, batch.exit());
        assertTrue(batch.err().contains("--batch: must be between 0 and 4096, got -1"), batch.err());
        // eval's --samples counts images: the methods' samples are its --noise-samples, and errors say so.
        ExplainCommandTest.Run noise = ExplainCommandTest.run("eval", "pointing-game", "--method", "smoothgrad",
                "--noise-samples", "0");
        assertEquals(Main.EXIT_USAGE, noise.exit());
        assertTrue(noise.err().contains("--noise-samples: must be between 1 and 10000, got 0"), noise.err());
        // A window larger than the demo model's 64x64 input fails the command once, before any image.
        ExplainCommandTest.Run window = ExplainCommandTest.run("explain", "--method", "occlusion", "--window", "65");
        assertEquals(Main.EXIT_USAGE, window.exit());
        assertTrue(window.err().contains("--window: the window (65 pixels) is larger than the 64x64 input"),
                window.err());
        ExplainCommandTest.Run base = ExplainCommandTest.run("explain", "--method", "grad-cam:vanilla");
        assertEquals(Main.EXIT_USAGE, base.exit());
        assertTrue(base.err().contains("--method: only smoothgrad, smoothgrad-sq and vargrad take a base method"),
                base.err());
    }

    @Test
    void occlusionAndRiseExplainTheDemoSample(@TempDir Path dir) throws Exception {
        for (String[] method : new String[][]{{"occlusion", "--window", "16", "--stride", "16"},
                {"rise", "--masks", "20", "--cells", "4", "--keep", "0.4"}}) {
            Path out = dir.resolve(method[0] + ".png");
            String[] args = new String[method.length + 4];
            args[0] = "explain";
            args[1] = "--method";
            System.arraycopy(method, 0, args, 2, method.length);
            args[method.length + 2] = "--out";
            args[method.length + 3] = out.toString();
            ExplainCommandTest.Run r = ExplainCommandTest.run(args);
            assertEquals(0, r.exit(), r.err());
            assertTrue(Files.size(out) > 0, method[0]);
        }
    }
}
