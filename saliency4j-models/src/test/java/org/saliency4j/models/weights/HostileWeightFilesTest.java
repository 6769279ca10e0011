package org.saliency4j.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.saliency4j.SaliencyException;

/**
 * Files written to hurt: each is refused with a model error that names the file and the problem, before any
 * allocation the file controls, and nothing a pickle names is ever run.
 */
class HostileWeightFilesTest {
    @TempDir
    Path dir;

    @Test
    void aPickleNamingOsSystemIsRefusedByName() throws IOException {
        // The classic payload: os.system('echo pwned'), as pickle.dumps writes it for a __reduce__.
        byte[] payload = new PickleWriter().global("os", "system").string("echo pwned").op((char) 0x85).op('R').stop();
        assertRefused(WeightFilesForTests.legacy(dir.resolve("evil-legacy.pth"), payload), "os.system");
        assertRefused(WeightFilesForTests.zip(dir.resolve("evil.pth"), payload, Map.of()), "os.system");
    }

    @Test
    void aGlobalNamedOnTheStackIsRefusedToo() throws IOException {
        // Protocol 4's STACK_GLOBAL: builtins.eval named by two strings on the stack.
        byte[] payload = new PickleWriter().string("builtins").string("eval").op((char) 0x93).stop();
        assertRefused(WeightFilesForTests.zip(dir.resolve("eval.pth"), payload, Map.of()), "builtins.eval");
    }

    @Test
    void aWholePickledModuleIsRefusedNamingItsClass() throws IOException {
        // torch.save(model): the module's class, which only code could build.
        byte[] pickle = new PickleWriter().global("torchvision.models.resnet", "ResNet").op(')').op((char) 0x81).stop();
        assertRefused(WeightFilesForTests.zip(dir.resolve("module.pth"), pickle, Map.of()),
                "torchvision.models.resnet.ResNet");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-zip.pth", "tiny-legacy.pth", "tiny-checkpoint.pth", "tiny.safetensors"})
    void everyTruncationIsAnErrorNamingTheFile(String fixture) throws IOException {
        byte[] whole = Files.readAllBytes(StateDictFormatsTest.copy(dir, fixture));
        for (int length : new int[]{0, 1, 9, 40, whole.length / 3, whole.length / 2, whole.length - 100, whole.length - 1}) {
            Path cut = dir.resolve("cut-" + length + "-" + fixture);
            Files.write(cut, Arrays.copyOf(whole, length));
            assertRefused(cut, "");
        }
    }

    @Test
    void aSafetensorsHeaderLengthPastTheFileIsRefusedBeforeItIsRead() throws IOException {
        for (long length : new long[]{1L << 40, -1L, 99_999_999L, 5}) {
            byte[] file = ByteBuffer.allocate(8 + 16).order(ByteOrder.LITTLE_ENDIAN).putLong(length)
                    .put("{\"a\":{}}        ".getBytes(StandardCharsets.US_ASCII)).array();
            Path path = Files.write(dir.resolve("header.safetensors"), file);
            assertRefused(path, length == 5 ? "not JSON" : "header of " + Long.toUnsignedString(length) + " bytes");
        }
    }

    @Test
    void aHugeSafetensorsShapeIsRefusedBeforeAnyAllocation() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,4],\"data_offsets\":[0,16]}}";
        assertRefused(safetensors(header, 16), "more elements of F32 than one Java array holds");
        // Fewer elements than an array holds, but more bytes: refused before its bytes are sized as an int.
        String wide = "{\"w\":{\"dtype\":\"F64\",\"shape\":[300000000],\"data_offsets\":[0,2400000000]}}";
        assertRefused(safetensors(wide, 16), "more elements of F64 than one Java array holds");
        String lying = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000],\"data_offsets\":[0,4000000]}}";
        assertRefused(safetensors(lying, 16), "spans bytes 0 to 4000000 of 16");
        String negative = "{\"w\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}";
        assertRefused(safetensors(negative, 16), "where a size or offset belongs");
        String twice = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{}}";
        assertRefused(safetensors(twice, 16), "Duplicate field 'w'");
    }

    /** Entries that each fit the data but share it would add up to many times the file: refused by the sum. */
    @Test
    void safetensorsEntriesSharingBytesAndShapesOfTooManyDimensionsAreRefused() throws IOException {
        StringBuilder shared = new StringBuilder("{");
        for (int i = 0; i < 5; i++) {
            shared.append(i > 0 ? "," : "").append("\"w").append(i)
                    .append("\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}");
        }
        assertRefused(safetensors(shared.append("}").toString(), 16), "declares more storage bytes than it holds");
        String deep = "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(64) + "1],\"data_offsets\":[0,4]}}";
        assertRefused(safetensors(deep, 16), "65 dimensions, more than 64");
    }

    @Test
    void aPickledShapeOfTooManyDimensionsIsRefused() throws IOException {
        long[] ones = new long[65];
        java.util.Arrays.fill(ones, 1);
        byte[] pickle = tensorPickle(1, ones, new long[65]);
        assertRefused(WeightFilesForTests.zip(dir.resolve("deep.pth"), pickle, Map.of("0", new byte[4])),
                "65 dimensions, more than 64");
    }

    @Test
    void aHugePickledShapeOverASmallStorageIsRefused() throws IOException {
        byte[] pickle = tensorPickle(1, new long[]{1L << 40, 1L << 20}, new long[]{0, 0});
        assertRefused(WeightFilesForTests.zip(dir.resolve("huge.pth"), pickle, Map.of("0", new byte[4])),
                "dimension past 2^31");
        byte[] broadcast = tensorPickle(1, new long[]{1 << 30, 4}, new long[]{0, 0});
        assertRefused(WeightFilesForTests.zip(dir.resolve("broadcast.pth"), broadcast, Map.of("0", new byte[4])),
                "more than its storage holds");
        byte[] outside = tensorPickle(4, new long[]{4, 4}, new long[]{4, 1});
        assertRefused(WeightFilesForTests.zip(dir.resolve("outside.pth"), outside, Map.of("0", new byte[16])),
                "reaches element 15 of a storage of 4");
    }

    @Test
    void aStorageLargerThanItsRecordIsRefusedBeforeItIsRead() throws IOException {
        byte[] pickle = tensorPickle(1L << 28, new long[]{4}, new long[]{1});
        assertRefused(WeightFilesForTests.zip(dir.resolve("short.pth"), pickle, Map.of("0", new byte[16])),
                "holds 16 bytes where its pickle declares 268435456 elements");
        byte[] tooBig = tensorPickle(1L << 40, new long[]{4}, new long[]{1});
        assertRefused(WeightFilesForTests.zip(dir.resolve("big.pth"), tooBig, Map.of("0", new byte[16])),
                "more than one Java array holds");
    }

    @Test
    void aStringLongerThanThePickleIsRefusedBeforeItIsAllocated() throws IOException {
        byte[] pickle = new PickleWriter().stringHeader(Integer.MAX_VALUE).stop();
        assertRefused(WeightFilesForTests.zip(dir.resolve("string.pth"), pickle, Map.of()),
                "declares a string of 2147483647 bytes");
    }

    @Test
    void aPickleOfMoreOperationsThanTheBoundIsStoppedThere() throws IOException {
        byte[] pickle = new PickleWriter().op(']').op('N').op('0').stop();
        byte[] endless = new byte[2 * TorchUnpickler.MAX_OPCODES + 8];
        System.arraycopy(pickle, 0, endless, 0, 3);
        for (int i = 3; i < endless.length - 1; i += 2) {
            endless[i] = 'N';
            endless[i + 1] = '0';
        }
        assertRefused(WeightFilesForTests.zip(dir.resolve("endless.pth"), endless, Map.of()),
                "more than " + TorchUnpickler.MAX_OPCODES + " operations");
    }

    @Test
    void aDeeplyNestedDictKeyIsRefused() throws IOException {
        // A list as a key: hashing a deeply nested one would overflow the stack.
        byte[] pickle = new PickleWriter().op('}').op(']').op('N').op('s').stop();
        assertRefused(WeightFilesForTests.zip(dir.resolve("key.pth"), pickle, Map.of()), "a dict key of type ArrayList");
    }

    @Test
    void aFileOfNoKnownFormatIsRefused() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.pth"), "just some text, not weights");
        assertRefused(text, "neither a torch.save file");
        assertRefused(dir.resolve("absent.pth"), "no such weights file");
    }

    @Test
    void aPickleWithoutTensorsHoldsNoStateDict() throws IOException {
        byte[] pickle = new PickleWriter().op('}').op('(').string("epoch").integer(3).op('u').stop();
        assertRefused(WeightFilesForTests.zip(dir.resolve("empty.pth"), pickle, Map.of()), "its keys: epoch");
    }

    /** {'w': a float32 tensor of the given size and stride over storage '0' of {@code numel} elements}. */
    private static byte[] tensorPickle(long numel, long[] size, long[] stride) {
        return new PickleWriter().global("collections", "OrderedDict").op(')').op('R').op('(').string("w")
                .tensor("FloatStorage", "0", numel, 0, size, stride).op('u').stop();
    }

    private Path safetensors(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer file = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(json.length).put(json);
        return Files.write(dir.resolve("hostile.safetensors"), file.array());
    }

    private static void assertRefused(Path file, String problem) {
        SaliencyException e = assertThrows(SaliencyException.class, () -> StateDict.read(file), file.toString());
        assertEquals(SaliencyException.Kind.MODEL, e.kind());
        assertEquals(file.toString(), e.input(), "the error names the file");
        assertTrue(e.problem().contains(problem), "'" + e.problem() + "' should say '" + problem + "'");
    }
}
