package org.saliency4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.saliency4j.explain.Explanation;
import org.saliency4j.io.ExplanationJson;

/** The {@code --json} lines: one object per image, successes and failures alike. */
final class JsonRecords {
    private JsonRecords() {
    }

    static String explanation(ObjectMapper mapper, Explanation e, Map<String, String> written, double totalMs) {
        ObjectNode root = ExplanationJson.of(mapper, e);
        ((ObjectNode) root.get("timings_ms")).put("total", totalMs);
        written.forEach(root.putObject("outputs")::put);
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
