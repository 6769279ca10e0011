package org.saliency4j.models.weights;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.save}'s legacy format (before PyTorch 1.6, and {@code _use_new_zipfile_serialization=False}), which
 * torchvision's older download files use: five pickles one after the other (a magic number, the protocol version,
 * the system's byte order and type sizes, the object, the storage keys in the order their bytes follow), then each
 * storage as an int64 element count and its raw bytes. The pickles are read from the file's first
 * {@link StateDict#MAX_PICKLE_BYTES} bytes; each storage's count is checked against its pickle's and the file's
 * length before its bytes are read.
 */
final class TorchLegacyReader {
    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL = 1001;

    private TorchLegacyReader() {
    }

    static Object read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(channel.size(), StateDict.MAX_PICKLE_BYTES));
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // read the head whole
            }
            PickleBytes in = new PickleBytes(head.array(), head.position());
            TorchUnpickler.Storages none = (dtype, key, numel) -> {
                throw WeightFileErrors.of(file, "names a storage before its object's pickle");
            };
            if (!MAGIC.equals(TorchUnpickler.load(file, in, none))) {
                throw WeightFileErrors.of(file, "does not start with torch.save's magic number: not a weights file");
            }
            Object protocol = TorchUnpickler.load(file, in, none);
            if (!(protocol instanceof Number n) || n.longValue() != PROTOCOL) {
                // Only a number is printed: an arbitrary pickled object's text can recurse without end.
                throw WeightFileErrors.of(file, "has torch.save protocol " + (protocol instanceof Number ? protocol
                        : "of type " + (protocol == null ? "None" : protocol.getClass().getSimpleName())) + ", not "
                        + PROTOCOL);
            }
            if (!(TorchUnpickler.load(file, in, none) instanceof Map<?, ?> system)
                    || !Boolean.TRUE.equals(system.get("little_endian"))) {
                throw WeightFileErrors.of(file, "was written on a big-endian machine, which is not supported");
            }
            Map<String, Storage> storages = new LinkedHashMap<>();
            Object root = TorchUnpickler.load(file, in, (dtype, key, numel) -> storages.computeIfAbsent(key, k -> {
                StateDict.storageBytes(file, dtype, numel);
                return new Storage(dtype, numel);
            }));
            if (!(TorchUnpickler.load(file, in, none) instanceof List<?> keys)) {
                throw WeightFileErrors.of(file, "has no list of storage keys after its object");
            }
            readStorages(file, channel, in.position(), keys, storages);
            return root;
        } catch (IOException e) {
            throw WeightFileErrors.of(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static void readStorages(Path file, FileChannel channel, long position, List<?> keys,
                                     Map<String, Storage> storages) throws IOException {
        for (Object key : keys) {
            // A key is text, as torch.save writes it; anything else is refused before it is hashed or printed (a
            // deeply nested list would recurse without end).
            if (!(key instanceof String)) {
                throw WeightFileErrors.of(file, "lists a storage key that is not text");
            }
            Storage storage = storages.get(key);
            if (storage == null || storage.filled()) {
                throw WeightFileErrors.of(file, "lists the storage key " + key + " "
                        + (storage == null ? "that its pickle never names" : "twice"));
            }
            ByteBuffer count = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            WeightFileErrors.readFully(file, channel, count, position);
            long numel = count.getLong(0);
            if (numel != storage.numel()) {
                throw WeightFileErrors.of(file, "its storage " + key + " has " + numel + " elements where its pickle "
                        + "declares " + storage.numel());
            }
            position += Long.BYTES;
            long bytes = numel * storage.dtype().bytes();
            if (bytes > channel.size() - position) {
                throw WeightFileErrors.of(file, "is truncated: its storage " + key + " needs " + bytes + " bytes at "
                        + position + ", the file has " + channel.size());
            }
            ByteBuffer data = ByteBuffer.allocate((int) bytes);
            WeightFileErrors.readFully(file, channel, data, position);
            storage.fill(data.array());
            position += bytes;
        }
        for (Map.Entry<String, Storage> s : storages.entrySet()) {
            if (!s.getValue().filled()) {
                throw WeightFileErrors.of(file, "never writes the bytes of its storage " + s.getKey());
            }
        }
    }
}
