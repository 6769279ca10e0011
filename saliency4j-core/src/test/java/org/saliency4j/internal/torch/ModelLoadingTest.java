package org.saliency4j.internal.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.SaliencyException;

/** Every kind of bad model or device gets one clear error naming it, and the JVM carries on. */
class ModelLoadingTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileIsNamed() {
        assertRefused(dir.resolve("absent.pt"), "cpu", SaliencyException.Kind.MODEL, "no such model file");
    }

    @Test
    void anEmptyFileIsNamed() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.pt"));
        assertRefused(file, "cpu", SaliencyException.Kind.MODEL, "empty");
    }

    @Test
    void aDirectoryIsRefused() {
        assertRefused(dir, "cpu", SaliencyException.Kind.MODEL, "not a readable file");
    }

    @Test
    void randomBytesAreNotTorchScript() throws Exception {
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        Path file = Files.write(dir.resolve("junk.pt"), junk);
        assertRefused(file, "cpu", SaliencyException.Kind.MODEL, "not a TorchScript model file");
    }

    @Test
    void aTruncatedModelIsNotTorchScript() throws Exception {
        Path whole = dir.resolve("whole.pt");
        TestModels.convNet(whole, 4, 3, 1);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.pt"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused(cut, "cpu", SaliencyException.Kind.MODEL, "not a TorchScript model file");
    }

    @Test
    void aModelThatReturnsAnImageIsNotAClassifier() {
        Path file = dir.resolve("identity.pt");
        TestModels.identity(file);
        assertRefused(file, "cpu", SaliencyException.Kind.MODEL, "not an image classifier: output has shape [1, 3, 16, 16]");
    }

    @Test
    void aModelThatReturnsATupleIsNotAClassifier() {
        Path file = dir.resolve("tuple.pt");
        TestModels.tuple(file);
        assertRefused(file, "cpu", SaliencyException.Kind.MODEL, "forward returns Tuple");
    }

    @Test
    void aModelThatCannotTakeAColourImageSaysWhy() {
        Path file = dir.resolve("gray.pt");
        TestModels.grayscaleOnly(file);
        SaliencyException e = assertRefused(file, "cpu", SaliencyException.Kind.MODEL, "forward failed on a 1x3x16x16 input");
        assertTrue(e.getMessage().length() < 500, "a summary, not the whole traceback: " + e.getMessage());
    }

    @Test
    void cudaWithoutCudaIsADeviceError() {
        assumeFalse(torch.cuda_is_available(), "this machine has CUDA");
        Path file = dir.resolve("conv.pt");
        TestModels.convNet(file, 4, 3, 1);
        assertRefused(file, "cuda", SaliencyException.Kind.DEVICE, "CUDA is not available");
        assertRefused(file, "cuda:1", SaliencyException.Kind.DEVICE, "CUDA is not available");
    }

    @Test
    void unknownDevicesAreOptionErrors() {
        Path file = dir.resolve("conv.pt");
        TestModels.convNet(file, 4, 3, 1);
        assertRefused(file, "tpu", SaliencyException.Kind.OPTION, "unknown device 'tpu'");
        assertRefused(file, "cuda:x", SaliencyException.Kind.OPTION, "unknown device 'cuda:x'");
    }

    @Test
    void autoPicksCpuWithoutCudaAndTheClassCountIsRead() {
        Path file = dir.resolve("conv.pt");
        TestModels.convNet(file, 4, 7, 1);
        try (TorchClassifier model = TorchClassifier.load(file, "auto", 16, 1)) {
            assertEquals(torch.cuda_is_available() ? "cuda:0" : "cpu", model.device());
            assertEquals(7, model.classes());
        }
    }

    private static SaliencyException assertRefused(Path file, String device, SaliencyException.Kind kind,
                                                   String fragment) {
        SaliencyException e = assertThrows(SaliencyException.class, () -> TorchClassifier.load(file, device, 16, 1));
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        return e;
    }
}
