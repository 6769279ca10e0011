package org.saliency4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.FloatTensor;

/** The .npy layout as NumPy's format documentation gives it. */
class NpyWriterTest {
    @TempDir
    Path dir;

    @Test
    void writesAVersionOneHeaderAndLittleEndianFloats() throws Exception {
        float[] values = {1.5f, -2f, 3.25f, 0f, 1e-7f, 65504f};
        Path file = dir.resolve("a.npy");
        NpyWriter.write(file, new FloatTensor(new int[]{3, 1, 2}, values));
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        bytes.get(magic);
        assertEquals("\u0093NUMPY", new String(magic, StandardCharsets.ISO_8859_1));
        assertEquals(1, bytes.get());
        assertEquals(0, bytes.get());
        int headerLength = bytes.getShort() & 0xffff;
        assertEquals(0, (10 + headerLength) % 64, "data starts 64-byte aligned");
        byte[] header = new byte[headerLength];
        bytes.get(header);
        String dict = new String(header, StandardCharsets.US_ASCII);
        assertTrue(dict.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1, 2), }"), dict);
        assertTrue(dict.endsWith("\n"));
        for (float v : values) {
            assertEquals(v, bytes.getFloat());
        }
        assertEquals(0, bytes.remaining());
    }

    @Test
    void oneDimensionalShapesAreWrittenAsOneTuples() {
        String dict = new String(NpyWriter.header(new int[]{4}), StandardCharsets.US_ASCII);
        assertTrue(dict.contains("'shape': (4,)"), dict);
    }
}
