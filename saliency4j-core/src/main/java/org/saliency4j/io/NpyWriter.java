package org.saliency4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.saliency4j.FloatTensor;

/** Writes float32 arrays in NumPy's .npy format (version 1.0, little-endian, C order), for {@code numpy.load}. */
public final class NpyWriter {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final int ALIGNMENT = 64;

    private NpyWriter() {
    }

    /** Writes the file atomically (see {@link AtomicFiles}), creating its directory if needed. */
    public static void write(Path file, FloatTensor tensor) throws IOException {
        AtomicFiles.write(file, bytes(tensor));
    }

    /** The whole .npy file: header, then the values. */
    public static byte[] bytes(FloatTensor tensor) {
        byte[] header = header(tensor.shape());
        ByteBuffer file = ByteBuffer.allocate(header.length + tensor.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        file.put(header);
        file.asFloatBuffer().put(tensor.toArray());
        return file.array();
    }

    static byte[] header(int[] shape) {
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String tuple = shape.length == 1 ? "(" + dims + ",)" : "(" + dims + ")";
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }");
        // The header (magic, 2-byte length, dict, newline) is padded with spaces to a multiple of 64 bytes.
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        dict.append(" ".repeat((ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 2 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putShort((short) text.length).put(text);
        return header.array();
    }
}
