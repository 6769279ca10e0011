package org.saliency4j.models.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The strict comparison of a file's state dict with an architecture's: every difference, in one error. */
final class LayoutCheck {
    /** Names listed per kind of difference before the rest are counted. */
    private static final int LISTED = 12;
    private static final String COUNTER = "num_batches_tracked";

    private LayoutCheck() {
    }

    static boolean counter(String name) {
        return name.equals(COUNTER) || name.endsWith("." + COUNTER);
    }

    static void check(StateDict weights, String architecture, Map<String, int[]> layout) {
        Map<String, WeightTensor> tensors = weights.tensors();
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        layout.forEach((name, shape) -> {
            WeightTensor tensor = tensors.get(name);
            if (tensor == null && !counter(name)) {
                missing.add(name);
            } else if (tensor != null && !Arrays.equals(tensor.shape(), shape)) {
                misShaped.add(name + " (file " + Arrays.toString(tensor.shape()) + ", " + architecture + " "
                        + Arrays.toString(shape) + ")");
            }
        });
        List<String> unexpected = tensors.keySet().stream().filter(name -> !layout.containsKey(name)).toList();
        if (missing.isEmpty() && unexpected.isEmpty() && misShaped.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        describe(problems, missing, "missing");
        describe(problems, unexpected, "unexpected");
        describe(problems, misShaped, "mis-shaped");
        throw WeightFileErrors.of(weights.file(), "does not fit " + architecture + "'s state dict ("
                + layout.size() + " entries; the file has " + tensors.size() + "): " + String.join("; ", problems));
    }

    private static void describe(List<String> problems, List<String> names, String kind) {
        if (names.isEmpty()) {
            return;
        }
        String listed = String.join(", ", names.subList(0, Math.min(LISTED, names.size())));
        problems.add(names.size() + " " + kind + ": " + listed
                + (names.size() > LISTED ? " and " + (names.size() - LISTED) + " more" : ""));
    }
}
