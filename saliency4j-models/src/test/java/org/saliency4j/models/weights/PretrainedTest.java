package org.saliency4j.models.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.named_buffer_iterator;
import org.bytedeco.pytorch.named_buffer_list;
import org.bytedeco.pytorch.named_parameter_iterator;
import org.bytedeco.pytorch.named_parameter_list;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.SafetensorsFiles;
import org.saliency4j.ModelOptions;
import org.saliency4j.Preprocessing;
import org.saliency4j.SaliencyException;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.models.DenseNet;
import org.saliency4j.models.torch.ModuleSpec;

/**
 * DenseNet-121 written from a weights file: every parameter and buffer of the TorchScript file, read back by
 * libtorch, equals the file's values; the file carries the ImageNet card; the wrong architecture's weights are
 * refused with the differences listed.
 */
class PretrainedTest {
    @TempDir
    static Path dir;
    /** The weights: a DenseNet-121 drawn with another seed than any spec the code under test draws. */
    private static Map<String, float[]> values;
    private static Path weights;

    @BeforeAll
    static void writeWeights() throws IOException {
        ModuleSpec spec = DenseNet.named("densenet121").spec(77);
        values = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        collect("", spec, values, shapes);
        // As the counters' values are never used, the file leaves them out, as torchvision's published files do.
        weights = SafetensorsFiles.write(dir.resolve("densenet121.safetensors"), values, shapes);
    }

    @Test
    void theWrittenTorchScriptHoldsTheFilesValues() {
        Path out = dir.resolve("densenet121.pt");
        Pretrained.build("densenet121", weights, out);
        Map<String, float[]> written = written(out);
        assertEquals(values.keySet(), written.keySet());
        values.forEach((name, expected) -> assertArrayEquals(expected, written.get(name), 0f, name));
    }

    /** Every parameter and float buffer of a TorchScript file, read by libtorch. */
    private static Map<String, float[]> written(Path out) {
        Map<String, float[]> written = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope()) {
            JitModule module = torch.load(out.toString());
            named_parameter_list parameters = module.named_parameters(true);
            for (named_parameter_iterator it = parameters.begin(); it.notEquals(parameters.end()); it = it.increment()) {
                written.put(it.access().name().getString(), floats(it.access().value()));
            }
            named_buffer_list buffers = module.named_buffers(true);
            for (named_buffer_iterator it = buffers.begin(); it.notEquals(buffers.end()); it = it.increment()) {
                String name = it.access().name().getString();
                if (!name.endsWith("num_batches_tracked")) {
                    written.put(name, floats(it.access().value()));
                }
            }
        }
        return written;
    }

    /**
     * A file as torchvision published its DenseNets: the legacy format, the old names ({@code norm.1}), no BatchNorm
     * counters. Renamed as torchvision's loader renames them, every value lands where it belongs.
     */
    @Test
    void aLegacyFileWithTorchvisionsOldNamesLoadsEveryValue() throws IOException {
        Map<String, float[]> oldNames = new LinkedHashMap<>();
        Map<String, int[]> oldShapes = new LinkedHashMap<>();
        Map<String, int[]> shapes = DenseNet.named("densenet121").spec(0).stateDictShapes();
        values.forEach((name, v) -> {
            String old = name.replaceAll("(denselayer\\d+\\.(?:norm|relu|conv))([12])\\.", "$1.$2.");
            oldNames.put(old, v);
            oldShapes.put(old, shapes.get(name));
        });
        assertTrue(oldNames.containsKey("features.denseblock1.denselayer1.norm.1.weight"));
        Path legacy = WeightFilesForTests.legacy(dir.resolve("densenet121-legacy.pth"), oldNames, oldShapes);
        Path out = dir.resolve("densenet121-legacy.pt");
        Pretrained.build("densenet121", legacy, out);
        Map<String, float[]> written = written(out);
        assertEquals(values.keySet(), written.keySet());
        values.forEach((name, expected) -> assertArrayEquals(expected, written.get(name), 0f, name));
    }

    @Test
    void loadingInOneCallGivesAnImageNetClassifierWithTorchvisionsPreprocessing() {
        try (SaliencyModel model = Pretrained.load("densenet121", weights,
                ModelOptions.defaults().withDevice("cpu").withWarmupRuns(0))) {
            assertEquals(1000, model.info().classes());
            assertEquals("tench", model.labels().name(0));
            assertEquals(Preprocessing.torchvision().size(), model.preprocessing().size());
        }
    }

    @Test
    void anotherArchitecturesWeightsAreRefusedWithTheDifferencesListed() {
        SaliencyException e = assertThrows(SaliencyException.class,
                () -> Pretrained.build("densenet169", weights, dir.resolve("wrong.pt")));
        assertEquals(weights.toString(), e.input());
        assertTrue(e.problem().contains("does not fit densenet169") && e.problem().contains("240 missing: features.denseblock3.denselayer25.norm1.weight")
                && e.problem().contains("mis-shaped: features.transition3.norm.weight (file [1024], densenet169 [1280])"), e.problem());
        SaliencyException unknown = assertThrows(SaliencyException.class,
                () -> Pretrained.build("resnet9000", weights, dir.resolve("unknown.pt")));
        assertEquals(SaliencyException.Kind.OPTION, unknown.kind());
        assertTrue(unknown.problem().contains("densenet121"), unknown.problem());
    }

    private static void collect(String prefix, ModuleSpec spec, Map<String, float[]> values, Map<String, int[]> shapes) {
        spec.parameters().forEach((name, entry) -> {
            values.put(prefix + name, entry.values().get());
            shapes.put(prefix + name, entry.shape());
        });
        spec.buffers().forEach((name, entry) -> {
            values.put(prefix + name, entry.values().get());
            shapes.put(prefix + name, entry.shape());
        });
        spec.children().forEach((name, child) -> collect(prefix + name + ".", child, values, shapes));
    }

    private static float[] floats(Tensor t) {
        Tensor contiguous = t.contiguous();
        FloatBuffer buffer = contiguous.createBuffer();
        float[] out = new float[(int) contiguous.numel()];
        buffer.get(out);
        return out;
    }
}
