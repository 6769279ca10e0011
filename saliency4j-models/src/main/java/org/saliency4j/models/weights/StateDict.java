package org.saliency4j.models.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.saliency4j.SaliencyException;
import org.saliency4j.models.WeightSource;

/**
 * A model's weights as a file holds them: tensor names in the file's order, each with its type, shape and exact
 * values. Read from {@code torch.save}'s zip or legacy format (a state dict, or a training checkpoint holding one
 * under {@code state_dict} or {@code model}, with or without DataParallel's {@code module.} prefix) or from
 * safetensors, never running code; then checked against an architecture's layout by {@link #against}.
 */
public final class StateDict {
    /** The most bytes of pickle read: a state dict's takes a few hundred kilobytes for the largest classifiers. */
    static final int MAX_PICKLE_BYTES = 32 << 20;
    private static final String DATA_PARALLEL_PREFIX = "module.";

    private final Path file;
    private final Map<String, WeightTensor> tensors;

    StateDict(Path file, Map<String, WeightTensor> tensors) {
        this.file = file;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /**
     * Reads a weights file, telling its format from its first bytes.
     *
     * @throws SaliencyException (a model error naming the file) for a missing, damaged, truncated or hostile file,
     *                           a pickle that names anything but tensors and dicts, or one that holds no state dict
     */
    public static StateDict read(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(9);
        } catch (NoSuchFileException e) {
            throw WeightFileErrors.of(file, "no such weights file", e);
        } catch (IOException e) {
            throw WeightFileErrors.of(file, "cannot be read: " + e.getMessage(), e);
        }
        Map<String, WeightTensor> tensors;
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            tensors = fromPickled(file, TorchZipReader.read(file));
        } else if (head.length >= 2 && (head[0] & 0xff) == 0x80) {
            tensors = fromPickled(file, TorchLegacyReader.read(file));
        } else if (head.length == 9 && head[8] == '{') {
            tensors = SafetensorsReader.read(file);
        } else {
            throw WeightFileErrors.of(file, "is neither a torch.save file (zip or legacy) nor safetensors");
        }
        StateDict weights = new StateDict(file, tensors);
        // DataParallel's wrapper names every entry of the model it wraps module.NAME.
        if (!tensors.isEmpty() && tensors.keySet().stream().allMatch(name -> name.startsWith(DATA_PARALLEL_PREFIX))) {
            return weights.renamed(name -> name.substring(DATA_PARALLEL_PREFIX.length()));
        }
        return weights;
    }

    /** The file the weights come from. */
    public Path file() {
        return file;
    }

    /** The tensors by name, in the file's order. */
    public Map<String, WeightTensor> tensors() {
        return tensors;
    }

    /**
     * The same tensors under new names, such as torchvision's renaming of its older files' names.
     *
     * @throws SaliencyException when two names become one
     */
    public StateDict renamed(UnaryOperator<String> rename) {
        Map<String, WeightTensor> renamed = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            if (renamed.put(rename.apply(name), tensor) != null) {
                throw WeightFileErrors.of(file, "holds two tensors named " + rename.apply(name) + " once renamed");
            }
        });
        return new StateDict(file, renamed);
    }

    /**
     * The weights of {@code architecture}, whose state dict has the names and shapes of {@code layout}: checked
     * strictly first, every missing, unexpected and mis-shaped entry listed in one error. A BatchNorm counter
     * ({@code num_batches_tracked}) may be missing, as files written before PyTorch 0.4 lack it and PyTorch itself
     * loads them; counters are never used in evaluation.
     *
     * @throws SaliencyException listing the differences
     */
    public WeightSource against(String architecture, Map<String, int[]> layout) {
        LayoutCheck.check(this, architecture, layout);
        return (name, shape) -> {
            WeightTensor tensor = tensors.get(name);
            if (tensor == null && LayoutCheck.counter(name) && layout.containsKey(name)) {
                return new float[1];
            }
            if (tensor == null || !Arrays.equals(tensor.shape(), shape)) {
                throw WeightFileErrors.of(file, "has no " + name + " of shape " + Arrays.toString(shape)
                        + " for " + architecture);
            }
            return tensor.toFloats();
        };
    }

    /** The bytes of a storage, checked to fit one Java array before anything is allocated for it. */
    static long storageBytes(Path file, DType dtype, long numel) {
        if (numel < 0 || numel > WeightTensor.MAX_ELEMENTS / dtype.bytes()) {
            throw WeightFileErrors.of(file, "declares a storage of " + numel + " elements of " + dtype
                    + ", more than one Java array holds");
        }
        return numel * dtype.bytes();
    }

    /** The state dict in what a pickle held: a dict of tensors itself, or a checkpoint's under {@code state_dict} or {@code model}. */
    private static Map<String, WeightTensor> fromPickled(Path file, Object root) {
        Map<String, WeightTensor> tensors = tensorsOf(root);
        if (tensors == null && root instanceof Map<?, ?> checkpoint) {
            for (String key : List.of("state_dict", "model")) {
                tensors = tensorsOf(checkpoint.get(key));
                if (tensors != null) {
                    break;
                }
            }
        }
        if (tensors == null) {
            throw WeightFileErrors.of(file, "holds no state dict: neither a dict of tensors nor a checkpoint with one "
                    + "under 'state_dict' or 'model'" + (root instanceof Map<?, ?> m ? " (its keys: " + keys(m) + ")" : ""));
        }
        return tensors;
    }

    /** The map's entries when it is a non-empty dict of tensors by name; else null. */
    private static Map<String, WeightTensor> tensorsOf(Object candidate) {
        if (!(candidate instanceof Map<?, ?> map) || map.isEmpty()) {
            return null;
        }
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof WeightTensor tensor)) {
                return null;
            }
            tensors.put(name, tensor);
        }
        return tensors;
    }

    private static String keys(Map<?, ?> map) {
        List<String> names = new ArrayList<>();
        for (Object key : map.keySet()) {
            if (names.size() == 10) {
                names.add("...");
                break;
            }
            names.add(String.valueOf(key));
        }
        return String.join(", ", names);
    }
}
