package org.saliency4j.models.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.saliency4j.SaliencyException;
import org.saliency4j.models.Architecture;
import org.saliency4j.models.Architectures;
import org.saliency4j.models.BuiltinModels;
import org.saliency4j.models.WeightSource;

/** A state dict against an architecture's layout: strict names, every difference in one error, old names renamed. */
class LayoutCheckTest {
    private static final Path FILE = Path.of("weights.pth");

    @Test
    void everyDifferenceIsListedInOneError() {
        Map<String, int[]> layout = new LinkedHashMap<>();
        layout.put("a.weight", new int[]{2, 3});
        layout.put("a.bias", new int[]{3});
        layout.put("b.weight", new int[]{5});
        layout.put("bn.num_batches_tracked", new int[0]);
        StateDict weights = stateDict(Map.of("a.weight", new int[]{2, 3}, "a.bias", new int[]{4},
                "extra", new int[]{1}));
        SaliencyException e = assertThrows(SaliencyException.class, () -> weights.against("tiny", layout));
        assertEquals(FILE.toString(), e.input());
        assertTrue(e.problem().contains("1 missing: b.weight"), e.problem());
        assertTrue(e.problem().contains("1 unexpected: extra"), e.problem());
        assertTrue(e.problem().contains("1 mis-shaped: a.bias (file [4], tiny [3])"), e.problem());
        assertTrue(!e.problem().contains("num_batches_tracked"), "a missing counter is no difference: " + e.problem());
    }

    @Test
    void aFittingStateDictGivesItsValuesAndZeroForAMissingCounter() {
        Map<String, int[]> layout = new LinkedHashMap<>();
        layout.put("fc.weight", new int[]{2, 2});
        layout.put("bn.num_batches_tracked", new int[0]);
        WeightSource source = stateDict(Map.of("fc.weight", new int[]{2, 2})).against("tiny", layout);
        assertArrayEquals(new float[]{0, 1, 2, 3}, source.values("fc.weight", new int[]{2, 2}));
        assertArrayEquals(new float[]{0}, source.values("bn.num_batches_tracked", new int[0]));
        assertThrows(SaliencyException.class, () -> source.values("fc.weight", new int[]{4}));
    }

    /**
     * torchvision's older DenseNet files (the published densenet201 among them) say {@code denselayer1.norm.1.weight};
     * renamed as torchvision's loader renames them, every name is today's, in the order of today's DenseNet-201.
     */
    @Test
    void torchvisionsOldDenseNetNamesBecomeTodaysAndFitDenseNet201() throws IOException {
        Architecture densenet201 = Architectures.named("densenet201").orElseThrow();
        List<String[]> pairs;
        try (InputStream in = getClass().getResourceAsStream("densenet201-legacy-names.txt")) {
            pairs = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(l -> l.split(" ")).toList();
        }
        Map<String, int[]> layout = densenet201.stateDictShapes();
        assertEquals(List.copyOf(layout.keySet()), pairs.stream().map(p -> p[1]).toList(), "today's names, in order");
        assertTrue(pairs.stream().anyMatch(p -> p[0].endsWith("denselayer1.norm.1.weight")), "the fixture has old names");
        for (String[] pair : pairs) {
            assertEquals(pair[1], densenet201.currentName(pair[0]), pair[0]);
        }
        // A file as torchvision published it in 2017: old names, and no BatchNorm counters (PyTorch 0.4 added them).
        Map<String, int[]> old = new LinkedHashMap<>();
        for (String[] pair : pairs) {
            if (!pair[0].endsWith("num_batches_tracked")) {
                old.put(pair[0], layout.get(pair[1]));
            }
        }
        StateDict renamed = stateDict(old).renamed(densenet201::currentName);
        WeightSource source = renamed.against(densenet201.name(), layout);
        assertEquals(64 * 3 * 7 * 7, source.values("features.conv0.weight", new int[]{64, 3, 7, 7}).length);
        // The same file not renamed: hundreds of differences, a dozen of each kind listed, the rest counted.
        SaliencyException e = assertThrows(SaliencyException.class, () -> stateDict(old).against("densenet201", layout));
        long oldNames = pairs.stream().filter(p -> !p[0].equals(p[1])).count();
        assertTrue(e.problem().contains(oldNames + " missing: features.denseblock1.denselayer1.norm1.weight, "),
                e.problem());
        assertTrue(e.problem().contains(oldNames + " unexpected: features.denseblock1.denselayer1.norm.1.weight, "),
                e.problem());
        assertTrue(e.problem().contains("and " + (oldNames - 12) + " more"), e.problem());
    }

    /** Float32 tensors of the given shapes (values 0, 1, 2, ... in C order), all views of one storage. */
    static StateDict stateDict(Map<String, int[]> shapes) {
        long largest = shapes.values().stream().mapToLong(s -> { long n = 1; for (int d : s) { n *= d; } return n; })
                .max().orElse(1);
        float[] values = new float[(int) largest];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Storage storage = Storage.of(DType.F32, bytes.array());
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            long[] size = new long[shape.length];
            long[] stride = new long[shape.length];
            long step = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                size[d] = shape[d];
                stride[d] = step;
                step *= shape[d];
            }
            tensors.put(name, WeightTensor.view(storage, 0, size, stride));
        });
        return new StateDict(FILE, tensors);
    }
}
