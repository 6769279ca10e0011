package org.saliency4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes float32 tensors in the safetensors layout (u64 little-endian header length, JSON header, raw little-endian
 * data), for tests that need a weights file: the models' loader and the command line's {@code --weights}.
 */
public final class SafetensorsFiles {
    private SafetensorsFiles() {
    }

    /** Each tensor of {@code tensors} (name to values, in order) with its shape from {@code shapes}. */
    public static Path write(Path file, Map<String, float[]> tensors, Map<String, int[]> shapes) throws IOException {
        ObjectNode header = new ObjectMapper().createObjectNode();
        long offset = 0;
        for (Map.Entry<String, float[]> t : tensors.entrySet()) {
            ObjectNode entry = header.putObject(t.getKey()).put("dtype", "F32");
            for (int d : shapes.get(t.getKey())) {
                entry.withArray("shape").add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + 4L * t.getValue().length);
            offset += 4L * t.getValue().length;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
            for (float[] values : tensors.values()) {
                ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(values);
                out.write(data.array());
            }
        }
        return file;
    }
}
