package org.saliency4j.models.weights;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Weight files written by tests: torch.save's zip layout around a given pickle, and safetensors of float32. */
final class WeightFilesForTests {
    private WeightFilesForTests() {
    }

    /** {@code archive/data.pkl} and {@code archive/data/KEY} records, stored as torch.save stores them. */
    static Path zip(Path file, byte[] pickle, Map<String, byte[]> records) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            stored(zip, "archive/data.pkl", pickle);
            for (Map.Entry<String, byte[]> r : records.entrySet()) {
                stored(zip, "archive/data/" + r.getKey(), r.getValue());
            }
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    /** A legacy file whose first pickle is the one given (the reader refuses or fails on it first). */
    static Path legacy(Path file, byte[] pickle) throws IOException {
        Files.write(file, pickle);
        return file;
    }

    /** safetensors of float32 tensors by name: {name: (shape, values)}. */
    static Path safetensors(Path file, Map<String, float[]> values, Map<String, int[]> shapes) throws IOException {
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            long end = offset + 4L * e.getValue().length;
            header.append(header.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",")
                    .append("\"shape\":[").append(Arrays.stream(shapes.get(e.getKey())).mapToObj(Integer::toString)
                            .collect(Collectors.joining(","))).append("],\"data_offsets\":[").append(offset).append(',')
                    .append(end).append("]}");
            offset = end;
        }
        byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
            for (float[] v : values.values()) {
                ByteBuffer data = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(v);
                out.write(data.array());
            }
        }
        return file;
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
