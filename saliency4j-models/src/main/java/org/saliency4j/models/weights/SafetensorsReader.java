package org.saliency4j.models.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The safetensors layout: an unsigned 64-bit little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range in the data that follows, then the data. The header's length is checked against the file
 * and safetensors' own limit before it is read, and each range against its shape and the data before its bytes are.
 */
final class SafetensorsReader {
    /** safetensors' own bound on the header. */
    static final long MAX_HEADER_BYTES = 100_000_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** {@link DType}'s names are safetensors' own dtype names. */
    private static final Map<String, DType> DTYPES = Arrays.stream(DType.values())
            .collect(Collectors.toUnmodifiableMap(DType::name, d -> d));

    private SafetensorsReader() {
    }

    static Map<String, WeightTensor> read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer length = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            WeightFileErrors.readFully(file, channel, length, 0);
            long headerBytes = length.getLong(0);
            if (headerBytes < 2 || headerBytes > MAX_HEADER_BYTES || headerBytes > size - Long.BYTES) {
                throw WeightFileErrors.of(file, "declares a safetensors header of " + Long.toUnsignedString(headerBytes)
                        + " bytes; the file has " + size + " bytes and the limit is " + MAX_HEADER_BYTES);
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerBytes);
            WeightFileErrors.readFully(file, channel, header, Long.BYTES);
            JsonNode root;
            try {
                root = JSON.readTree(header.array());
            } catch (IOException e) {
                throw WeightFileErrors.of(file, "has a safetensors header that is not JSON: " + e.getMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw WeightFileErrors.of(file, "has a safetensors header that is not a JSON object");
            }
            long dataStart = Long.BYTES + headerBytes;
            Map<String, WeightTensor> tensors = new LinkedHashMap<>();
            StorageBudget budget = new StorageBudget(file, channel.size() - dataStart);
            for (Map.Entry<String, JsonNode> field : root.properties()) {
                if (!field.getKey().equals("__metadata__")) {
                    tensors.put(field.getKey(), tensor(file, channel, dataStart, field.getKey(), field.getValue(),
                            budget));
                }
            }
            return tensors;
        } catch (IOException e) {
            throw WeightFileErrors.of(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static WeightTensor tensor(Path file, FileChannel channel, long dataStart, String name, JsonNode entry,
                                       StorageBudget budget) throws IOException {
        DType dtype = DTYPES.get(entry.path("dtype").asText());
        JsonNode shapeNode = entry.path("shape");
        JsonNode offsets = entry.path("data_offsets");
        if (dtype == null || !shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw WeightFileErrors.of(file, "its entry " + name + " lacks a known dtype (one of " + DTYPES.keySet()
                    + "), a shape or two data offsets: " + abbreviated(entry));
        }
        if (shapeNode.size() > WeightTensor.MAX_DIMENSIONS) {
            throw WeightFileErrors.of(file, "its entry " + name + " has " + shapeNode.size() + " dimensions, more than "
                    + WeightTensor.MAX_DIMENSIONS);
        }
        long[] shape = new long[shapeNode.size()];
        long numel = 1;
        for (int d = 0; d < shape.length; d++) {
            shape[d] = integer(file, name, shapeNode.get(d));
            // Saturated: any product past the bound is refused below, a zero anywhere makes it empty.
            numel = shape[d] == 0 ? 0 : numel > WeightTensor.MAX_ELEMENTS / shape[d] ? WeightTensor.MAX_ELEMENTS + 1 : numel * shape[d];
        }
        long begin = integer(file, name, offsets.get(0));
        long end = integer(file, name, offsets.get(1));
        long dataBytes = channel.size() - dataStart;
        if (numel > WeightTensor.MAX_ELEMENTS / dtype.bytes()) {
            throw WeightFileErrors.of(file, "its entry " + name + " has more elements of " + dtype + " than one Java "
                    + "array holds (" + WeightTensor.MAX_ELEMENTS + " bytes)");
        }
        long needed = numel * dtype.bytes();
        if (begin > end || end > dataBytes || end - begin != needed) {
            throw WeightFileErrors.of(file, "its entry " + name + " spans bytes " + begin + " to " + end + " of "
                    + dataBytes + " where its shape takes " + needed);
        }
        budget.take(needed, "its entry " + name);
        ByteBuffer data = ByteBuffer.allocate((int) needed);
        WeightFileErrors.readFully(file, channel, data, dataStart + begin);
        try {
            return WeightTensor.contiguous(Storage.of(dtype, data.array()), shape);
        } catch (IllegalArgumentException e) {
            throw WeightFileErrors.of(file, "its entry " + name + " has " + e.getMessage(), e);
        }
    }

    private static long integer(Path file, String name, JsonNode node) {
        if (node == null || !node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0) {
            throw WeightFileErrors.of(file, "its entry " + name + " has " + node + " where a size or offset belongs");
        }
        return node.asLong();
    }

    private static String abbreviated(JsonNode node) {
        String text = node.toString();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
