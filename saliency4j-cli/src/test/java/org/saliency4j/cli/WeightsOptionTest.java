package org.saliency4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.ModelCard;
import org.saliency4j.SafetensorsFiles;
import org.saliency4j.models.DenseNet;
import org.saliency4j.models.torch.ModuleSpec;

/** {@code model build ARCH --weights FILE} and {@code --model ARCH --weights FILE}, as a user without Python runs them. */
class WeightsOptionTest {
    @TempDir
    Path dir;

    @Test
    void aWeightsFileBuildsAndExplainsADenseNet() throws Exception {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        collect("", DenseNet.named("densenet121").spec(5), values, shapes);
        Path weights = SafetensorsFiles.write(dir.resolve("densenet121.safetensors"), values, shapes);

        Path out = dir.resolve("d121.pt");
        ExplainCommandTest.Run build = ExplainCommandTest.run("model", "build", "densenet121", "--weights",
                weights.toString(), "--out", out.toString());
        assertEquals(0, build.exit(), build.err());
        assertTrue(build.out().contains("7,978,856 parameters from " + weights), build.out());
        assertFalse(build.err().contains("random weights"), build.err());
        ModelCard card = ModelCard.read(out).orElseThrow();
        assertEquals("tench", card.labels().get(0));
        assertEquals(224, card.preprocessing().size());
        assertEquals("features.norm5", card.gradCamLayer());

        // A small input keeps the explanation quick: the point is the model the option resolves.
        ExplainCommandTest.Run explain = ExplainCommandTest.run("explain", "--model", "densenet121", "--weights",
                weights.toString(), "--input-size", "64", "--out", dir.resolve("maps.png").toString(), "--json");
        assertEquals(0, explain.exit(), explain.err());
        JsonNode record = explain.json().get(0);
        assertEquals("densenet121", record.get("model").asText());
        assertEquals(5, record.get("predictions").size());

        ExplainCommandTest.Run wrong = ExplainCommandTest.run("explain", "--model", "densenet169", "--weights",
                weights.toString(), "--out", dir.resolve("wrong.png").toString());
        assertEquals(1, wrong.exit(), wrong.err());
        assertTrue(wrong.err().contains(weights + ": does not fit densenet169's state dict"), wrong.err());
        assertFalse(Files.exists(dir.resolve("wrong.png")), "nothing written");
    }

    private static void collect(String prefix, ModuleSpec spec, Map<String, float[]> values, Map<String, int[]> shapes) {
        spec.parameters().forEach((name, entry) -> {
            values.put(prefix + name, entry.values().get());
            shapes.put(prefix + name, entry.shape());
        });
        spec.buffers().forEach((name, entry) -> {
            values.put(prefix + name, entry.values().get());
            shapes.put(prefix + name, entry.shape());
        });
        spec.children().forEach((name, child) -> collect(prefix + name + ".", child, values, shapes));
    }
}
