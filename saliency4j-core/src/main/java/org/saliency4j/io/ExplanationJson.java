package org.saliency4j.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.saliency4j.CropRegion;
import org.saliency4j.explain.Explanation;
import org.saliency4j.Prediction;
import org.saliency4j.Timings;

/** An explanation as the JSON record the CLI prints and the service answers. */
public final class ExplanationJson {
    private ExplanationJson() {
    }

    /**
     * image, model, device, method (and layer), convergence_delta (and integration_steps), ok, predictions, target, region (the part of the
     * original image the model saw, in its pixels) and timings_ms.
     */
    public static ObjectNode of(ObjectMapper mapper, Explanation e) {
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
        if (e.integrationSteps() > 0) {
            root.put("integration_steps", e.integrationSteps());
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
        CropRegion r = e.region();
        root.putObject("region").put("x", r.x()).put("y", r.y()).put("width", r.width()).put("height", r.height());
        Timings t = e.timings();
        root.putObject("timings_ms")
                .put("decode", t.decodeMs())
                .put("preprocess", t.preprocessMs())
                .put("first_pass", t.firstPassMs())
                .put("attribution", t.attributionMs())
                // The two together, under the name earlier output gave them.
                .put("gradient", t.firstPassMs() + t.attributionMs())
                .put("map", t.mapMs())
                .put("explain", t.totalMs());
        return root;
    }
}
