package org.saliency4j.models;

import org.saliency4j.models.torch.ModuleSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.saliency4j.SaliencyException;
import org.saliency4j.models.torch.Trainer;

/**
 * The models saliency4j ships or builds: the trained demo classifier embedded in the jar and its sample image, and
 * the architectures it writes as TorchScript from Java ({@link Architectures}: DenseNets, ResNets, MobileNetV3,
 * EfficientNet-B0, ConvNeXt-Tiny, ViT-B/16; and {@link DemoNet}).
 */
public final class BuiltinModels {
    public static final String DEMO = "demo";
    /** Seed and index of the sample image shown when no image is given: a star on a cluttered background. */
    static final long SAMPLE_SEED = 2026;
    static final long SAMPLE_INDEX = 3;
    private static final String DEMO_RESOURCE = "/org/saliency4j/models/demo.pt";

    private static Path demoFile;
    private static final Map<String, Path> written = new HashMap<>();

    private BuiltinModels() {
    }

    /** The embedded demo model, copied once per process to a temporary file (libtorch loads from a path). */
    public static synchronized Path demoFile() {
        if (demoFile == null) {
            try (InputStream in = BuiltinModels.class.getResourceAsStream(DEMO_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the embedded demo model " + DEMO_RESOURCE + " is missing from the jar");
                }
                Path file = Files.createTempFile("saliency4j-demo-", ".pt");
                file.toFile().deleteOnExit();
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                demoFile = file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot unpack the embedded demo model", e);
            }
        }
        return demoFile;
    }

    /** The names {@link #build} accepts. */
    public static List<String> buildable() {
        List<String> names = new ArrayList<>();
        names.add(DEMO);
        Architectures.all().forEach(a -> names.add(a.name()));
        return names;
    }

    /**
     * Writes the named model to {@code file}: an architecture with torchvision's random initialisation, or the demo
     * classifier trained.
     *
     * @return the model's state dict (names and shapes)
     * @throws SaliencyException for an unknown name
     */
    public static ModuleSpec build(String name, Path file, long seed, Trainer.Progress progress) {
        if (name.equals(DEMO)) {
            ModuleSpec spec = DemoNet.spec(seed);
            DemoModel.build(file, seed, progress);
            return spec;
        }
        Architecture architecture = Architectures.named(name).orElseThrow(() -> new SaliencyException(
                SaliencyException.Kind.OPTION, "NAME",
                "unknown model '" + name + "' (expected one of: " + String.join(", ", buildable()) + ")"));
        return Architectures.write(architecture, null, seed, file);
    }

    /**
     * A model argument as every command takes it: a path when such a file exists; else {@code demo} (the embedded
     * model) or an architecture's name (written from Java with random weights, once per process); else a path,
     * which loading then reports as missing.
     */
    public static synchronized Path resolve(String model) {
        Path path = Path.of(model);
        if (Files.exists(path)) {
            return path;
        }
        if (model.equals(DEMO)) {
            return demoFile();
        }
        Architecture architecture = Architectures.named(model).orElse(null);
        if (architecture == null) {
            return path;
        }
        return written.computeIfAbsent(architecture.name(), name -> {
            try {
                Path file = Files.createTempFile("saliency4j-" + name + "-", ".pt");
                file.toFile().deleteOnExit();
                build(name, file, 1, (step, loss) -> { });
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the built-in " + name, e);
            }
        });
    }

    /** The demo task's sample image, the same on every run. */
    public static ShapesTask.Sample demoSample() {
        return new ShapesTask(SAMPLE_SEED).sample(SAMPLE_INDEX);
    }
}
