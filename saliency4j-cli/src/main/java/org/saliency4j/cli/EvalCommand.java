package org.saliency4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.eval.PointingGame;
import org.saliency4j.eval.SanityCheck;
import org.saliency4j.method.Method;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code saliency4j eval ...}: objective scores of saliency maps. */
@Command(name = "eval", description = "Score saliency maps objectively.", mixinStandardHelpOptions = true,
        subcommands = {EvalCommand.PointingGameCommand.class, EvalCommand.SanityCommand.class,
                FaithfulnessCommand.class})
final class EvalCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "pointing-game", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Explain fresh images of the demo task and report accuracy, the pointing game (map maximum "
                    + "in the object's box, dilated by " + PointingGame.MARGIN + " px), the map's energy inside the box, "
                    + "and their chance levels.")
    static final class PointingGameCommand implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        DemoTaskOptions task;

        @Option(names = "--samples", defaultValue = "500", description = "Images to draw (default: ${DEFAULT-VALUE}).")
        int samples;


        @Override
        public Integer call() throws Exception {
            DemoTaskOptions.requireSamples(samples);
            Method method = task.method();
            try (SaliencyModel loaded = SaliencyModel.load(task.modelFile(), task.modelOptions())) {
                PointingGame.Result r = PointingGame.run(loaded, method, task.seed, samples);
                spec.commandLine().getOut().println(task.json ? toJson(r, method) : toText(r, method));
            }
            return 0;
        }

        private String toJson(PointingGame.Result r, Method method) throws Exception {
            ObjectNode root = new ObjectMapper().createObjectNode();
            root.put("model", task.model.model).put("method", method.spec()).put("samples", r.samples()).put("seed", task.seed)
                    .put("accuracy", r.accuracy()).put("pointing_game", r.pointingGame())
                    .put("energy_in_box", r.energyInBox()).put("chance", r.chancePointing())
                    .put("chance_energy", r.chanceEnergy()).put("margin_px", PointingGame.MARGIN)
                    .put("ms_per_image", r.msPerImage());
            return new ObjectMapper().writeValueAsString(root);
        }

        private String toText(PointingGame.Result r, Method method) {
            return String.format(Locale.ROOT, "%s, %s, %d images (seed %d)%n"
                            + "  accuracy        %.3f%n"
                            + "  pointing game   %.3f   (chance %.3f)%n"
                            + "  energy in box   %.3f   (chance %.3f)%n"
                            + "  time per image  %.1f ms",
                    task.model.model, method.spec(), r.samples(), task.seed, r.accuracy(), r.pointingGame(), r.chancePointing(),
                    r.energyInBox(), r.chanceEnergy(), r.msPerImage());
        }
    }

    @Command(name = "sanity", mixinStandardHelpOptions = true, sortOptions = false,
            description = "The model-randomisation test (Adebayo et al., 2018): re-draw the layers' weights from the "
                    + "output down and report, after each layer, the mean Spearman rank correlation of the maps with "
                    + "the intact model's, on fresh images of the demo task.")
    static final class SanityCommand implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        DemoTaskOptions task;

        @Option(names = "--samples", defaultValue = "50", description = "Images to draw (default: ${DEFAULT-VALUE}).")
        int samples;


        @Override
        public Integer call() throws Exception {
            DemoTaskOptions.requireSamples(samples);
            Method method = task.method();
            List<SanityCheck.Step> steps = SanityCheck.run(task.modelFile(), task.modelOptions(), method, task.seed,
                    samples);
            var out = spec.commandLine().getOut();
            if (task.json) {
                ObjectMapper mapper = new ObjectMapper();
                ObjectNode root = mapper.createObjectNode();
                root.put("model", task.model.model).put("method", method.spec()).put("samples", samples).put("seed", task.seed);
                var array = root.putArray("cascade");
                steps.forEach(s -> array.addObject().put("randomized_down_to", s.layer()).put("spearman", s.spearman()));
                out.println(mapper.writeValueAsString(root));
            } else {
                out.printf(Locale.ROOT, "%s, %s, %d images (seed %d): rank correlation with the intact model's maps%n",
                        task.model.model, method.spec(), samples, task.seed);
                steps.forEach(s -> out.printf(Locale.ROOT, "  randomised down to %-10s %.3f%n", s.layer(), s.spearman()));
            }
            return 0;
        }
    }
}
