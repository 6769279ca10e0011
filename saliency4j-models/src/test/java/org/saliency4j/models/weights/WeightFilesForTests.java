package org.saliency4j.models.weights;

import java.io.IOException;
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
