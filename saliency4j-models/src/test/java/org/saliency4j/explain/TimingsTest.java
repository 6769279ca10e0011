package org.saliency4j.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.Timings;
import org.saliency4j.io.ExplanationJson;
import org.saliency4j.models.BuiltinModels;

/** An explanation's timings are disjoint parts of its total, and the JSON keeps the earlier key as their sum. */
class TimingsTest {
    @Test
    void thePartsOfOneExplanationFitInItsTotalAndTheJsonSumsTheFormerGradientKey() {
        try (SaliencyModel model = SaliencyModel.load(BuiltinModels.demoFile(),
                ModelOptions.defaults().withDevice("cpu").withWarmupRuns(1))) {
            Explanation e = model.explain(ImageInput.picture("sample", BuiltinModels.demoSample().image()),
                    ExplainRequest.defaults());
            Timings t = e.timings();
            double[] parts = {t.decodeMs(), t.preprocessMs(), t.firstPassMs(), t.attributionMs(), t.mapMs()};
            double sum = 0;
            for (double part : parts) {
                assertTrue(part >= 0, t.toString());
                sum += part;
            }
            assertTrue(t.firstPassMs() > 0, t.toString());
            // Measured over disjoint intervals of one call: together at most the whole.
            assertTrue(sum <= t.totalMs() + 1e-9, t.toString());

            JsonNode json = ExplanationJson.of(new ObjectMapper(), e).get("timings_ms");
            assertEquals(t.firstPassMs(), json.get("first_pass").asDouble(), 1e-12);
            assertEquals(t.attributionMs(), json.get("attribution").asDouble(), 1e-12);
            assertEquals(t.firstPassMs() + t.attributionMs(), json.get("gradient").asDouble(), 1e-12);
        }
    }
}
