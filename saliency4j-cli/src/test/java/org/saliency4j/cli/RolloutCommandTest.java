package org.saliency4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.internal.image.TestImages;
import org.saliency4j.models.Architectures;
import org.saliency4j.models.VisionTransformer;

/** {@code explain --method attention-rollout} on a small ViT written from Java, and on a CNN, which has none. */
class RolloutCommandTest {
    @TempDir
    Path dir;

    @Test
    void attentionRolloutExplainsAVisionTransformerAndNamesWhatACnnLacks() throws Exception {
        Path vit = dir.resolve("vit_tiny.pt");
        Architectures.write(new VisionTransformer("vit_tiny", 56, 2, 2, 8, 16), null, 7, vit);
        Path image = Files.write(dir.resolve("p.png"), TestImages.encode(TestImages.pattern(300, 260, 1), ".png"));
        ExplainCommandTest.Run r = ExplainCommandTest.run("explain", "--model", vit.toString(), "--image",
                image.toString(), "--method", "attention-rollout", "--head-fusion", "max", "--out",
                dir.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode record = r.json().get(0);
        assertEquals("attention-rollout", record.get("method").asText(), r.out());
        assertTrue(Files.size(dir.resolve("p-saliency.png")) > 500);

        ExplainCommandTest.Run cnn = ExplainCommandTest.run("explain", "--image", image.toString(), "--method",
                "grad-rollout", "--out", dir.toString());
        assertEquals(Main.EXIT_FAILED, cnn.exit(), cnn.err());
        assertTrue(cnn.err().contains("exposes no attention probabilities")
                && cnn.err().contains("saliency4j model build vit_b_16"), cnn.err());

        ExplainCommandTest.Run fusion = ExplainCommandTest.run("explain", "--model", vit.toString(), "--image",
                image.toString(), "--method", "attention-rollout", "--head-fusion", "median");
        assertEquals(Main.EXIT_USAGE, fusion.exit(), fusion.err());
        assertTrue(fusion.err().contains("--head-fusion"), fusion.err());
    }
}
