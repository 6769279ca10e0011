package org.saliency4j.models.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code torch.save}'s zip format (PyTorch 1.6 and later): {@code NAME/data.pkl}, the pickle, and one record
 * {@code NAME/data/KEY} per storage, stored uncompressed. A record is read once however many tensors view it, and
 * only after the size its pickle declares was checked against the record's.
 */
final class TorchZipReader {
    private TorchZipReader() {
    }

    static Object read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = pickleEntry(file, zip);
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            checkByteOrder(file, zip, prefix);
            byte[] bytes = read(file, zip, pickle, StateDict.MAX_PICKLE_BYTES, "its pickle");
            Map<String, Storage> storages = new HashMap<>();
            StorageBudget budget = new StorageBudget(file, Files.size(file));
            return TorchUnpickler.load(file, new PickleBytes(bytes, bytes.length), (dtype, key, numel) ->
                    storages.computeIfAbsent(key, k -> storage(file, zip, prefix + "data/" + k, dtype, numel,
                            budget)));
        } catch (IOException e) {
            throw WeightFileErrors.of(file, "cannot be read as a zip (" + e.getMessage() + "): truncated or damaged?", e);
        }
    }

    private static ZipEntry pickleEntry(Path file, ZipFile zip) {
        ZipEntry found = null;
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            if (entry.getName().matches("[^/]+/data\\.pkl")) {
                if (found != null) {
                    throw WeightFileErrors.of(file, "holds two pickles, " + found.getName() + " and " + entry.getName());
                }
                found = entry;
            }
        }
        if (found == null) {
            throw WeightFileErrors.of(file, "is a zip without a data.pkl: not a file torch.save wrote");
        }
        return found;
    }

    /** PyTorch 2 records the byte order; older files, written on little-endian machines, have none. */
    private static void checkByteOrder(Path file, ZipFile zip, String prefix) throws IOException {
        ZipEntry entry = zip.getEntry(prefix + "byteorder");
        if (entry != null) {
            String order = new String(read(file, zip, entry, 16, "its byteorder"), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw WeightFileErrors.of(file, "was written big-endian ('" + order + "'), which is not supported");
            }
        }
    }

    private static Storage storage(Path file, ZipFile zip, String name, DType dtype, long numel,
                                   StorageBudget budget) {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw WeightFileErrors.of(file, "its pickle names the storage " + name + ", which the zip lacks");
        }
        long needed = StateDict.storageBytes(file, dtype, numel);
        if (entry.getMethod() != ZipEntry.STORED || entry.getSize() != needed) {
            throw WeightFileErrors.of(file, "its storage " + name + " holds " + entry.getSize() + " bytes"
                    + (entry.getMethod() != ZipEntry.STORED ? " compressed" : "") + " where its pickle declares "
                    + numel + " elements of " + dtype + " (" + needed + " bytes, stored as torch.save stores them)");
        }
        budget.take(needed, "its storage " + name);
        Storage storage = new Storage(dtype, numel);
        try {
            storage.fill(read(file, zip, entry, needed, "its storage " + name));
        } catch (IOException e) {
            throw WeightFileErrors.of(file, "its storage " + name + " cannot be read: " + e.getMessage(), e);
        }
        return storage;
    }

    /**
     * At most {@code limit} bytes of an entry (an entry with more is an error), checked against its declared size
     * first and against what it holds while reading, since a damaged zip may declare any size or none.
     *
     * @param limit at most {@link WeightTensor#MAX_ELEMENTS}, so that one byte past it still fits an array
     */
    private static byte[] read(Path file, ZipFile zip, ZipEntry entry, long limit, String what) throws IOException {
        long declared = entry.getSize();
        if (declared > limit) {
            throw WeightFileErrors.of(file, what + " has " + declared + " bytes, more than the " + limit + " read");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            // An entry of unknown size is read one byte past the limit, to tell one that fits from one that does not.
            byte[] bytes = in.readNBytes((int) (declared >= 0 ? declared : limit + 1));
            if (declared >= 0 && bytes.length != declared) {
                throw WeightFileErrors.of(file, what + " ends after " + bytes.length + " of its " + declared + " bytes");
            }
            if (bytes.length > limit) {
                throw WeightFileErrors.of(file, what + " has more than the " + limit + " bytes read");
            }
            return bytes;
        }
    }
}
