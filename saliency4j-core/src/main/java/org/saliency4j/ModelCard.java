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
 * What a model file says about itself: its class names, the preprocessing it was trained with, and the layer
 * Grad-CAM weighs unless told otherwise. saliency4j writes it into the models it builds as the TorchScript extra
 * file {@value #EXTRA_FILE}; any other TorchScript file has none, and the ImageNet defaults apply.
 *
 * @param task          a short name of what the model classifies
 * @param labels        class names in index order
 * @param preprocessing how images become the model's input
 * @param gradCamLayer  Grad-CAM's default layer, chosen for the architecture; null to take the last layer with a
 *                      spatial output ({@link LayerInfo#gradCamDefault})
 */
public record ModelCard(String task, List<String> labels, Preprocessing preprocessing, String gradCamLayer) {
    public static final String EXTRA_FILE = "saliency4j.json";
    /** The largest card read: the names of a few thousand classes take tens of kilobytes. */
    static final int MAX_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelCard {
        labels = List.copyOf(labels);
    }

    /** A card that leaves Grad-CAM's layer to {@link LayerInfo#gradCamDefault}. */
    public ModelCard(String task, List<String> labels, Preprocessing preprocessing) {
        this(task, labels, preprocessing, null);
    }

    /** The same card with Grad-CAM's default layer named. */
    public ModelCard withGradCamLayer(String layer) {
        return new ModelCard(task, labels, preprocessing, layer);
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
        if (gradCamLayer != null) {
            root.put("grad_cam_layer", gradCamLayer);
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
            JsonNode layer = root.path("grad_cam_layer");
            return new ModelCard(root.path("task").asText(""), labels, preprocessing,
                    layer.isTextual() ? layer.asText() : null);
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
