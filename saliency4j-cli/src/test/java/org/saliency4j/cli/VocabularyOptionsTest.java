package org.saliency4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.ImageLimits;
import org.saliency4j.EngineSettings;
import org.saliency4j.ModelOptions;
import org.saliency4j.Parameter;
import org.saliency4j.RenderOptions;
import org.saliency4j.Target;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line shows and applies the library's defaults, and shows the library's neutral parameter names as its
 * options.
 */
class VocabularyOptionsTest {
    @TempDir
    static Path dir;

    @Test
    void explainWithNoOptionsIsTheLibrarysDefaultRequestAndRendering() {
        ExplainCommand explain = parsed("explain");
        ExplainRequest request = ExplainRequest.defaults();
        assertEquals(List.of(request.target()), Target.parseAll(explain.target));
        assertEquals(request.score(), explain.score);
        assertEquals(request.topK(), explain.topK);
        assertEquals(request.reduction(), explain.reduce);
        assertEquals(request.normalization(), explain.normalize);
        assertEquals(ModelOptions.defaults().batch(), explain.chunk.batch);
        // The model's preprocessing, unless an option changes it.
        assertNull(explain.preprocess);
        assertNull(explain.resize);
        assertNull(explain.inputSize);
        assertEquals(RenderOptions.defaults(), new RenderOptions(ExplainCommand.renderKinds(explain.render).get(0),
                explain.colormap, explain.alpha, explain.vmin, explain.vmax, explain.mix, explain.geometry));
        assertEquals(ImageLimits.defaults().maxPixels(), explain.maxPixels);
        assertDeviceDefaults(explain.deviceOptions);
    }

    @Test
    void theOtherCommandsTakeTheLibrarysDefaultsToo() {
        ServeCommand serve = parsed("serve");
        assertEquals(ImageLimits.defaults().maxPixels(), serve.maxPixels);
        assertDeviceDefaults(serve.device);
        EvalCommand.PointingGameCommand pointing = parsed("eval", "pointing-game");
        assertEquals(ModelOptions.defaults().batch(), pointing.task.chunk.batch);
        assertDeviceDefaults(pointing.task.deviceOptions);
        ModelCommand.Layers layers = parsed("model", "layers");
        assertDeviceDefaults(layers.device);
    }

    @Test
    void everyBoundOptionShowsItsParametersHelpAndDefault() {
        List<String> bound = new ArrayList<>();
        forEachCommand(commandLine(), cl -> {
            for (OptionSpec option : cl.getCommandSpec().options()) {
                if (VocabularyOptions.isBound(option)) {
                    Parameter<?> parameter = VocabularyOptions.parameter(option);
                    // eval's --samples counts images, so its noise tunnels' samples are --noise-samples.
                    assertTrue(option.longestName().equals("--" + parameter.name())
                            || option.longestName().endsWith("-" + parameter.name()), option.longestName());
                    assertEquals(parameter.helpWithDefault(), String.join(" ", option.description()));
                    assertNull(option.defaultValue(), option.longestName() + ": a default in its annotation");
                    assertEquals(parameter.defaultsFromModel() ? null : parameter.defaultText().orElseThrow(),
                            provided(cl, option), option.longestName());
                    bound.add(option.longestName());
                }
            }
        });
        // The options of explain alone, so that a binding lost in a refactoring is noticed.
        for (String name : List.of("--target", "--score", "--topk", "--reduce", "--normalize", "--preprocess",
                "--resize", "--input-size", "--render", "--colormap", "--alpha", "--vmin", "--vmax", "--mix",
                "--geometry", "--device", "--threads", "--max-pixels", "--batch")) {
            assertTrue(bound.contains(name), name + " is not bound to the vocabulary: " + bound);
        }
        // Words as the user reads them, whatever the terminal's width wrapped.
        String help = run("explain", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("Predictions to list (default: 5)."), help);
        assertTrue(help.contains("overlay, heatmap, panel or all (default: overlay)."), help);
        assertTrue(help.contains("Side of the square model input (default: the model card's, else 224)."), help);
    }

    @Test
    void optionsThatOnlyShareANameKeepTheirOwnMeaning() {
        EvalCommand.PointingGameCommand pointing = parsed("eval", "pointing-game");
        assertEquals(500, pointing.samples);
        String help = run("eval", "pointing-game", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("Images to draw (default: 500)."), help);
        assertTrue(run("model", "build", "--help").out().replaceAll("\\s+", " ")
                .contains("libtorch threads; 0 keeps libtorch's default"));
        BenchCommand bench = parsed("bench");
        assertEquals(List.of(1), bench.batches);
    }

    @Test
    void errorsShowTheParameterAsTheOptionTheUserTyped() {
        assertUsage(explain("--alpha", "2"), "saliency4j: --alpha: must be in [0, 1], got 2.0");
        assertUsage(explain("--mix", "0"), "saliency4j: --mix: must be positive, got 0.0");
        assertUsage(explain("--vmin", "0.8", "--vmax", "0.7"),
                "saliency4j: --vmin: the window needs vmin < vmax, got 0.8 and 0.7");
        // One end alone: the other suits the map.
        assertEquals(0, explain("--vmin", "0.01", "--render", "panel").exit());
        assertUsage(explain("--vmin", "low", "--vmax", "auto"), "--vmin", "not a number: 'low'");
        assertUsage(explain("--topk", "0"), "saliency4j: --topk: must be at least 1, got 0");
        assertUsage(explain("--input-size", "5"), "saliency4j: --input-size: must be between 8 and 4096, got 5");
        assertUsage(explain("--render", "3d"), "saliency4j: --render: unknown value '3d' (expected overlay, heatmap, "
                + "panel or all)");
        assertUsage(explain("--reduce", "median"), "--reduce", "unknown value 'median' (expected one of: sum, "
                + "abs-sum, abs-max, l2, seed)");
        assertUsage(explain("--max-pixels", "0"), "saliency4j: --max-pixels: limits must be positive");
        assertUsage(explain("--threads", "-1"), "saliency4j: --threads: must be between 0 and "
                + EngineSettings.maxThreads() + ", got -1");
    }

    private static String provided(CommandLine cl, OptionSpec option) {
        try {
            return cl.getDefaultValueProvider().defaultValue(option);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertDeviceDefaults(DeviceOptions device) {
        ModelOptions defaults = ModelOptions.defaults();
        assertEquals(defaults.device(), device.device);
        assertEquals(EngineSettings.recommended().threads(), device.threads);
    }

    private static ExplainCommandTest.Run explain(String... options) {
        List<String> args = new ArrayList<>(List.of("explain", "--out", dir.resolve("x.png").toString()));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    private static ExplainCommandTest.Run run(String... args) {
        return ExplainCommandTest.run(args);
    }

    private static void assertUsage(ExplainCommandTest.Run r, String... fragments) {
        assertEquals(Main.EXIT_USAGE, r.exit(), r.err());
        for (String fragment : fragments) {
            assertTrue(r.err().contains(fragment), r.err());
        }
    }

    /** The command object of the given subcommand, its options parsed from an empty command line. */
    @SuppressWarnings("unchecked")
    private static <T> T parsed(String... subcommands) {
        CommandLine cl = commandLine();
        CommandLine.ParseResult result = cl.parseArgs(subcommands);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return (T) result.commandSpec().userObject();
    }

    private static CommandLine commandLine() {
        return Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    private static void forEachCommand(CommandLine cl, java.util.function.Consumer<CommandLine> action) {
        action.accept(cl);
        cl.getSubcommands().values().forEach(sub -> forEachCommand(sub, action));
    }
}
