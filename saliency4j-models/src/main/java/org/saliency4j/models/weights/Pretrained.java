package org.saliency4j.models.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.saliency4j.ModelOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.models.Architecture;
import org.saliency4j.models.Architectures;
import org.saliency4j.models.torch.ModuleSpec;

/**
 * An architecture written from Java with a weights file's values, in one call: written as a TorchScript file with
 * its model card ({@link #build}), or loaded for explaining ({@link #load}). No Python, and nothing downloaded: the
 * user fetches the file.
 * <pre>{@code
 * try (SaliencyModel model = Pretrained.load("densenet201", Path.of("densenet201-c1103571.pth"),
 *         ModelOptions.defaults())) { ... }
 * }</pre>
 */
public final class Pretrained {
    private static final Map<String, Path> written = new HashMap<>();

    private Pretrained() {
    }

    /**
     * Writes {@code architecture} with the weights of {@code weightsFile} to {@code out} as TorchScript.
     *
     * @return the module tree written
     * @throws SaliencyException for an unknown architecture (an option error naming {@code architecture}), or a
     *                           weights file that cannot be read or does not fit it (a model error naming the file)
     */
    public static ModuleSpec build(String architecture, Path weightsFile, Path out) {
        Architecture arch = Architectures.named(architecture).orElseThrow(() -> new SaliencyException(
                SaliencyException.Kind.OPTION, "architecture", "unknown architecture '" + architecture
                + "' (weights load into: " + String.join(", ", Architectures.all().stream()
                .map(Architecture::name).toList()) + ")"));
        StateDict weights = StateDict.read(weightsFile).renamed(arch::currentName);
        return Architectures.write(arch, weights.against(arch.name(), arch.stateDictShapes()), 0, out);
    }

    /**
     * {@code architecture} with those weights, loaded: written to a temporary file that is deleted once loaded.
     *
     * @throws SaliencyException as {@link #build} and {@link SaliencyModel#load} do
     */
    public static SaliencyModel load(String architecture, Path weightsFile, ModelOptions options) {
        Path file = temporaryFile(architecture);
        try {
            build(architecture, weightsFile, file);
            return SaliencyModel.load(file, options);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }

    /**
     * The TorchScript file of {@code architecture} with those weights, written once per process to a temporary
     * file deleted at exit: what {@code --model ARCH --weights FILE} loads in every command.
     */
    public static synchronized Path resolve(String architecture, Path weightsFile) {
        String key = architecture.toLowerCase(Locale.ROOT) + "\n" + weightsFile.toAbsolutePath().normalize();
        Path file = written.get(key);
        if (file == null) {
            file = temporaryFile(architecture);
            file.toFile().deleteOnExit();
            build(architecture, weightsFile, file);
            written.put(key, file);
        }
        return file;
    }

    private static Path temporaryFile(String architecture) {
        try {
            return Files.createTempFile("saliency4j-" + architecture.replaceAll("[^A-Za-z0-9_]", "_") + "-", ".pt");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for " + architecture, e);
        }
    }
}
