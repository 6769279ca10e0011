package org.saliency4j.models.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.SafetensorsFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same small state dict in each container a user meets, written by PyTorch 1.13 (the shared fixtures): every
 * entry equals numpy's copy of it exactly, in its own type, with the views (a transposed tensor, a slice at a
 * storage offset sharing its storage), the 0-dimensional tensor, half, double and int64 entries among them.
 */
class StateDictFormatsTest {
    /** torch.save's entries, in the state dict's order; safetensors adds a bfloat16 one. */
    private static final List<String> NAMES = List.of("conv.weight", "conv.bias", "bn.weight", "bn.bias",
            "bn.running_mean", "bn.running_var", "bn.num_batches_tracked", "fc.weight", "fc.bias", "half.weight",
            "double.weight", "scalar");
    private static final Map<String, DType> TYPES = Map.of("bn.num_batches_tracked", DType.I64, "half.weight",
            DType.F16, "double.weight", DType.F64, "bf16.weight", DType.BF16);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"tiny-zip.pth", "tiny-legacy.pth", "tiny-checkpoint.pth", "tiny.safetensors"})
    void everyEntryEqualsPyTorchsValuesExactly(String fixture) throws IOException {
        StateDict weights = StateDict.read(copy(fixture));
        List<String> expectedNames = new ArrayList<>(NAMES);
        if (fixture.endsWith(".safetensors")) {
            expectedNames.add("bf16.weight");
        }
        assertEquals(expectedNames, List.copyOf(weights.tensors().keySet()), "names in the file's order");
        for (String name : expectedNames) {
            WeightTensor tensor = weights.tensors().get(name);
            ExactNpy expected = expected(name);
            assertArrayEquals(expected.shape(), tensor.shape(), name);
            assertEquals(TYPES.getOrDefault(name, DType.F32), tensor.dtype(), name);
            assertArrayEquals(expected.values(), tensor.toDoubles(), 0.0, name);
            if (tensor.dtype().integral()) {
                assertArrayEquals(expected.integers(), tensor.toLongs(), name);
            }
            float[] asFloats = tensor.toFloats();
            for (int i = 0; i < asFloats.length; i++) {
                assertEquals((float) expected.values()[i], asFloats[i], 0.0f, name + "[" + i + "] as float32");
            }
        }
    }

    @Test
    void aZeroDimensionalTensorHasOneValue() throws IOException {
        WeightTensor scalar = StateDict.read(copy("tiny-zip.pth")).tensors().get("scalar");
        assertArrayEquals(new int[0], scalar.shape());
        assertArrayEquals(new double[]{2.5}, scalar.toDoubles());
    }

    @Test
    void dataParallelsPrefixIsRemovedWhenEveryNameHasIt() throws IOException {
        Map<String, float[]> values = new LinkedHashMap<>();
        values.put("module.fc.weight", new float[]{1, 2, 3, 4, 5, 6});
        values.put("module.fc.bias", new float[]{7, 8});
        Path file = SafetensorsFiles.write(dir.resolve("dp.safetensors"), values,
                Map.of("module.fc.weight", new int[]{2, 3}, "module.fc.bias", new int[]{2}));
        StateDict weights = StateDict.read(file);
        assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(weights.tensors().keySet()));
        assertArrayEquals(new float[]{7, 8}, weights.tensors().get("fc.bias").toFloats());
    }

    @Test
    void aCheckpointUnderModelWithDataParallelsPrefixIsFound() throws IOException {
        byte[] pickle = new PickleWriter().op('}').op('(').string("epoch").integer(90).string("model")
                .global("collections", "OrderedDict").op(')').op('R').op('(')
                .string("module.fc.bias").tensor("FloatStorage", "0", 2, 0, new long[]{2}, new long[]{1})
                .op('u').op('u').stop();
        Path file = WeightFilesForTests.zip(dir.resolve("checkpoint.pth"), pickle,
                Map.of("0", new byte[]{0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40}));
        StateDict weights = StateDict.read(file);
        assertEquals(List.of("fc.bias"), List.copyOf(weights.tensors().keySet()));
        assertArrayEquals(new float[]{1, 2}, weights.tensors().get("fc.bias").toFloats());
    }

    /**
     * A legacy file as PyTorch 0.3 under Python 2 wrote it (torchvision's oldest downloads): str keys as Python 2
     * strings, {@code OrderedDict([[key, value]])}, the four-argument {@code _rebuild_tensor}, six-element storage ids;
     * plus the {@code _metadata} attribute later versions BUILD onto the state dict.
     */
    @Test
    void aLegacyFileAsPython2WroteItIsRead() throws IOException {
        PickleWriter magic = new PickleWriter().raw(0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19);
        PickleWriter protocol = new PickleWriter().raw('M', 0xe9, 0x03);
        PickleWriter system = new PickleWriter().op('}').op('(').python2String("little_endian").op((char) 0x88).op('u');
        PickleWriter object = new PickleWriter().global("collections", "OrderedDict").op(']').op('(').op('(')
                .python2String("fc.bias").global("torch._utils", "_rebuild_tensor").op('(').op('(')
                .python2String("storage").global("torch", "FloatStorage").python2String("0").python2String("cpu")
                .raw('K', 2).op('N').op('t').op('Q').raw('K', 0).raw('K', 2).op((char) 0x85).raw('K', 1)
                .op((char) 0x85).op('t').op('R').op('l').op('e').op((char) 0x85).op('R')
                .op('}').python2String("_metadata").global("collections", "OrderedDict").op(')').op('R').op('s')
                .op('b');
        PickleWriter keys = new PickleWriter().op('(').python2String("0").op('l');
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        for (PickleWriter p : List.of(magic, protocol, system, object, keys)) {
            file.writeBytes(p.stop());
        }
        file.writeBytes(new byte[]{2, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 0x3f, 0, 0, 0x20, (byte) 0xc1});
        StateDict weights = StateDict.read(Files.write(dir.resolve("python2.pth"), file.toByteArray()));
        assertEquals(List.of("fc.bias"), List.copyOf(weights.tensors().keySet()));
        assertArrayEquals(new float[]{1.5f, -10f}, weights.tensors().get("fc.bias").toFloats());
    }

    /** {@code pickle_protocol=4}: a frame, memoized strings, globals named on the stack. */
    @Test
    void aProtocol4PickleIsRead() throws IOException {
        byte[] pickle = new PickleWriter(4).raw(0x95, 0, 0, 0, 0, 0, 0, 0, 0)
                .stackGlobal("collections", "OrderedDict").op(')').op('R').op('(').shortString("w")
                .stackGlobal("torch._utils", "_rebuild_tensor_v2").op('(').op('(').shortString("storage")
                .stackGlobal("torch", "HalfStorage").shortString("0").shortString("cpu").raw('K', 2).op('t').op('Q')
                .raw('K', 0).raw('K', 2).op((char) 0x85).raw('K', 1).op((char) 0x85).op((char) 0x89)
                .stackGlobal("collections", "OrderedDict").op(')').op('R').op('t').op('R').op('u').stop();
        // 1.0 and -2.5 in half precision: 0x3c00 and 0xc100.
        Path file = WeightFilesForTests.zip(dir.resolve("protocol4.pth"), pickle,
                Map.of("0", new byte[]{0, 0x3c, 0, (byte) 0xc1}));
        WeightTensor w = StateDict.read(file).tensors().get("w");
        assertEquals(DType.F16, w.dtype());
        assertArrayEquals(new double[]{1.0, -2.5}, w.toDoubles());
    }

    static Path copy(Path dir, String fixture) throws IOException {
        Path file = dir.resolve(fixture);
        try (InputStream in = StateDictFormatsTest.class.getResourceAsStream(fixture)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private Path copy(String fixture) throws IOException {
        return copy(dir, fixture);
    }

    private static ExactNpy expected(String name) throws IOException {
        try (InputStream in = StateDictFormatsTest.class.getResourceAsStream("tiny-expected/" + name + ".npy")) {
            return ExactNpy.read(in);
        }
    }
}
