package org.saliency4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a model file says about itself: its class names and the preprocessing it was trained with. saliency4j
 * writes it into the models it builds as the TorchScript extra file {@value #EXTRA_FILE}; any other TorchScript
 * file has none, and the ImageNet defaults apply.
 *
 * @param task          a short name of what the model classifies
 * @param labels        class names in index order
 * @param preprocessing how images become the model's input
 * @param layer         the layer Grad-CAM weighs when a request names none, a module path; null for the model's
 *                      last layer with a spatial output (a ViT's layers have tokens, and its last ones carry no
 *                      gradient to the patches)
 */
public record ModelCard(String task, List<String> labels, Preprocessing preprocessing, String layer) {
    public static final String EXTRA_FILE = "saliency4j.json";
    /** The largest card read: the names of a few thousand classes take tens of kilobytes. */
    static final int MAX_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelCard {
        labels = List.copyOf(labels);
    }

    /** A card that leaves Grad-CAM's layer to the model's last spatial one. */
    public ModelCard(String task, List<String> labels, Preprocessing preprocessing) {
        this(task, labels, preprocessing, null);
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("task", task);
        ArrayNode names = root.putArray("labels");
        labels.forEach(names::add);
        ObjectNode p = root.putObject("preprocessing");
        p.put("mode", preprocessing.mode().name().toLowerCase());
        p.put("resize", preprocessing.resize());
        p.put("size", preprocessing.size());
        ArrayNode mean = p.putArray("mean");
        ArrayNode std = p.putArray("std");
        for (int c = 0; c < 3; c++) {
            mean.add(preprocessing.mean()[c]);
            std.add(preprocessing.std()[c]);
        }
        if (layer != null) {
            root.put("layer", layer);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /**
     * Reads the card from a TorchScript archive (a zip whose entries sit under one folder), without loading the
     * model. A file that is not a regular file or not a zip, or has no card, has none (loading the model then says
     * what is wrong with it); a card that cannot be parsed, or is larger than {@value #MAX_BYTES} bytes, is an error.
     */
    public static Optional<ModelCard> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().endsWith("/extra/" + EXTRA_FILE)) {
                    return Optional.of(parse(file, new String(bounded(file, zip, entry), StandardCharsets.UTF_8)));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The entry's bytes, at most {@value #MAX_BYTES}: the size a zip declares is checked first, then the bytes are
     * counted while inflating, since a zip bomb may declare any size.
     */
    private static byte[] bounded(Path file, ZipFile zip, ZipEntry entry) throws IOException {
        if (entry.getSize() > MAX_BYTES) {
            throw cardTooLarge(file, entry.getSize() + " bytes");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw cardTooLarge(file, "more than " + MAX_BYTES + " bytes inflated");
            }
            return bytes;
        }
    }

    private static SaliencyException cardTooLarge(Path file, String size) {
        return new SaliencyException(SaliencyException.Kind.MODEL, file.toString(), "its model card (" + EXTRA_FILE
                + ") is too large: " + size + ", the limit is " + MAX_BYTES);
    }

    static ModelCard parse(Path file, String json) {
        try {
            JsonNode root = JSON.readTree(json);
            List<String> labels = new ArrayList<>();
            root.path("labels").forEach(n -> labels.add(n.asText()));
            JsonNode p = root.path("preprocessing");
            Preprocessing preprocessing = new Preprocessing(Preprocessing.Mode.parse(p.path("mode").asText()),
                    p.path("resize").asInt(), p.path("size").asInt(), floats(p.path("mean")), floats(p.path("std")));
            String layer = root.hasNonNull("layer") ? root.get("layer").asText() : null;
            return new ModelCard(root.path("task").asText(""), labels, preprocessing, layer);
        } catch (IOException | RuntimeException e) {
            throw new SaliencyException(SaliencyException.Kind.MODEL, file.toString(),
                    "its model card (" + EXTRA_FILE + ") cannot be read: " + e.getMessage());
        }
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }
}
