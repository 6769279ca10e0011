package org.saliency4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saliency4j.explain.Engine;
import org.saliency4j.EngineSettings;
import org.saliency4j.LayerInfo;
import org.saliency4j.ModelOptions;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.eval.PointingGame;
import org.saliency4j.method.Method;
import org.saliency4j.models.BuiltinModels;
import org.saliency4j.models.torch.ModuleSpec;
import org.saliency4j.models.weights.Pretrained;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code saliency4j model build NAME [--weights FILE] --out FILE}: writes a built-in architecture as TorchScript,
 * from Java, with a weights file's values or random ones;
 * {@code saliency4j model layers --model M}: lists a model's layers as Grad-CAM's {@code --layer} names them.
 */
@Command(name = "model", description = "Models written from Java, and the layers of any model.",
        mixinStandardHelpOptions = true, subcommands = {ModelCommand.Build.class, ModelCommand.Layers.class})
final class ModelCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Write a model as TorchScript: demo (trained on the shapes task, a few minutes on 2 cores), "
                    + "or an architecture by torchvision's name (densenet121/161/169/201, resnet18/34/50/101/152, "
                    + "mobilenet_v3_large/small, efficientnet_b0, convnext_tiny, vit_b_16), with the weights of "
                    + "--weights FILE, else random.")
    static final class Build implements Callable<Integer> {
        private static final int ACCURACY_SAMPLES = 1000;
        private static final long ACCURACY_SEED = 4242;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "demo, or an architecture's name (with --weights: the "
                + "architecture the weights load into).")
        String name;

        @Option(names = "--out", required = true, paramLabel = "FILE.pt", description = "Where to write the model.")
        Path out;

        @Option(names = "--weights", paramLabel = "FILE",
                description = "The architecture's weights: a torch.save file (.pth, zip or legacy, or a training "
                        + "checkpoint) or .safetensors, such as torchvision's published files.")
        Path weights;

        @Option(names = "--seed", defaultValue = "1", description = "Seeds random weights (and the demo's training images).")
        long seed;

        @Option(names = "--threads", defaultValue = "0", description = "libtorch threads; 0 keeps libtorch's default (all cores).")
        int threads;

        @Mixin
        VerboseOption verbose;

        @Override
        public Integer call() throws Exception {
            if (threads != 0) {
                // Training works on batches, where libtorch's own default (all cores) is the faster one.
                Engine.configure(EngineSettings.recommended().withThreads(threads));
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            var stdout = spec.commandLine().getOut();
            long start = System.nanoTime();
            String model = name.toLowerCase(Locale.ROOT);
            ModuleSpec built = weights != null ? Pretrained.build(model, weights, out)
                    : BuiltinModels.build(model, out, seed, (step, loss) -> {
                        if (step % 100 == 0) {
                            stdout.printf(Locale.ROOT, "step %d: loss %.3f%n", step, loss);
                        }
                    });
            double seconds = (System.nanoTime() - start) / 1e9;
            stdout.printf(Locale.ROOT, "wrote %s: %s, %,d parameters%s, %.1f MB, in %.1f s%n", out, model,
                    built.parameterCount(), weights != null ? " from " + weights : "", Files.size(out) / 1e6, seconds);
            if (weights != null) {
                return 0;
            }
            if (model.equals(BuiltinModels.DEMO)) {
                // The check explains one image at a time, where the measured default (one thread on small
                // machines) is many times faster than training's.
                Engine.configure(EngineSettings.recommended().withThreads(threads));
                try (SaliencyModel trained = SaliencyModel.load(out, ModelOptions.defaults().withDevice("cpu"))) {
                    PointingGame.Result r = PointingGame.run(trained, Method.vanilla(), ACCURACY_SEED, ACCURACY_SAMPLES);
                    stdout.printf(Locale.ROOT, "accuracy on %d fresh images: %.3f%n", r.samples(), r.accuracy());
                }
            } else {
                spec.commandLine().getErr().println("saliency4j: warning: " + out + " has random weights "
                        + "(torchvision's initialisation): its predictions mean nothing until trained weights are copied in");
            }
            return 0;
        }
    }

    @Command(name = "layers", mixinStandardHelpOptions = true, sortOptions = false,
            description = "List a model's layers in forward order with their output shapes for one image; "
                    + "Grad-CAM's default layer is the last with a spatial output (marked *).")
    static final class Layers implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ModelOption model;

        @Mixin
        DeviceOptions device;

        @Mixin
        VerboseOption verbose;

        @Option(names = "--json", description = "Print a JSON array of {name, shape}.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ModelOptions options = device.apply(ModelOptions.defaults()).withWarmupRuns(0);
            try (SaliencyModel loaded = SaliencyModel.load(model.file(), options)) {
                List<LayerInfo> layers = loaded.layers();
                var out = spec.commandLine().getOut();
                if (json) {
                    out.println(new ObjectMapper().writeValueAsString(layers));
                    return 0;
                }
                String chosen = LayerInfo.gradCamDefault(layers).map(LayerInfo::name).orElse(null);
                for (LayerInfo layer : layers) {
                    out.printf("%s %-48s %s%n", layer.name().equals(chosen) ? "*" : " ", layer.name(),
                            Arrays.toString(layer.shape()));
                }
                return 0;
            }
        }
    }
}
