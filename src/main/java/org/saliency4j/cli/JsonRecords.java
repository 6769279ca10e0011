package org.saliency4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.saliency4j.Explanation;
import org.saliency4j.Prediction;
import org.saliency4j.Timings;

/** The {@code --json} lines: one object per image, successes and failures alike. */
final class JsonRecords {
    private JsonRecords() {
    }

    static String explanation(ObjectMapper mapper, Explanation e, Map<String, String> written, double totalMs) {
        ObjectNode root = mapper.createObjectNode();
        root.put("image", e.image());
        root.put("model", e.model().name());
        root.put("device", e.model().device());
        root.put("method", e.method().spec());
        if (e.method().usesLayer()) {
            root.put("layer", e.method().layer());
        }
        if (!Double.isNaN(e.convergenceDelta())) {
            root.put("convergence_delta", e.convergenceDelta());
        }
        root.put("ok", true);
        ArrayNode predictions = root.putArray("predictions");
        for (Prediction p : e.predictions()) {
            predictions.addObject().put("index", p.index()).put("label", p.label()).put("probability", p.probability());
        }
        root.putObject("target")
                .put("index", e.target().index())
                .put("label", e.target().label())
                .put("score", e.target().score().optionName())
                .put("value", e.target().value());
        ObjectNode outputs = root.putObject("outputs");
        written.forEach(outputs::put);
        Timings t = e.timings();
        root.putObject("timings_ms")
                .put("decode", t.decodeMs())
                .put("preprocess", t.preprocessMs())
                .put("gradient", t.gradientMs())
                .put("map", t.mapMs())
                .put("explain", t.totalMs())
                .put("total", totalMs);
        return write(mapper, root);
    }

    static String failure(ObjectMapper mapper, String image, String message) {
        ObjectNode root = mapper.createObjectNode();
        root.put("image", image);
        root.put("ok", false);
        root.put("error", message);
        return write(mapper, root);
    }

    private static String write(ObjectMapper mapper, ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers always serialises", e);
        }
    }
}
