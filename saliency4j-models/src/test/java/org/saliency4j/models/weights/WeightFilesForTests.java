package org.saliency4j.models.weights;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Weight files written by tests: torch.save's zip layout around a given pickle (safetensors: the core's SafetensorsFiles). */
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

    /**
     * A legacy-format file as {@code torch.save(..., _use_new_zipfile_serialization=False)} writes a state dict of
     * float32 tensors (name to values, shapes alike): the magic number, protocol and system pickles, the ordered
     * dict, the storage keys, then each storage's element count and bytes.
     */
    static Path legacy(Path file, Map<String, float[]> values, Map<String, int[]> shapes) throws IOException {
        PickleWriter object = new PickleWriter().global("collections", "OrderedDict").op(')').op('R').op('(');
        PickleWriter keys = new PickleWriter().op('(');
        int key = 0;
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            int[] shape = shapes.get(e.getKey());
            long[] size = new long[shape.length];
            long[] stride = new long[shape.length];
            long step = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                size[d] = shape[d];
                stride[d] = step;
                step *= shape[d];
            }
            object.string(e.getKey()).tensor("FloatStorage", Integer.toString(key), e.getValue().length, 0, size, stride);
            keys.string(Integer.toString(key++));
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(new PickleWriter().raw(0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19).stop());
            out.write(new PickleWriter().raw('M', 0xe9, 0x03).stop());
            out.write(new PickleWriter().op('}').op('(').string("protocol_version").raw('M', 0xe9, 0x03)
                    .string("little_endian").op((char) 0x88).op('u').stop());
            out.write(object.op('u').stop());
            out.write(keys.op('l').stop());
            for (float[] v : values.values()) {
                ByteBuffer data = ByteBuffer.allocate(8 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                data.putLong(v.length).asFloatBuffer().put(v);
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
