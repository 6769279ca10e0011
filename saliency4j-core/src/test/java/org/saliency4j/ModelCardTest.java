package org.saliency4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model card's Grad-CAM layer: written, read back, and absent from older cards. */
class ModelCardTest {
    private static final Path FILE = Path.of("m.pt");

    @Test
    void theGradCamLayerIsWrittenAndReadBack() {
        ModelCard card = new ModelCard("imagenet", List.of("a", "b"), Preprocessing.torchvision().withSizes(256, 224),
                "encoder.layers.encoder_layer_11.ln_1");
        ModelCard read = ModelCard.parse(FILE, card.toJson());
        assertEquals("encoder.layers.encoder_layer_11.ln_1", read.gradCamLayer());
        assertEquals(256, read.preprocessing().resize());
        assertEquals(List.of("a", "b"), read.labels());
    }

    @Test
    void aCardWithoutALayerLeavesItToTheModel() {
        ModelCard card = new ModelCard("demo", List.of("a"), Preprocessing.torchvision());
        assertFalse(card.toJson().contains("grad_cam_layer"));
        assertNull(ModelCard.parse(FILE, card.toJson()).gradCamLayer());
        // Cards written before the layer existed read as they did.
        assertNull(ModelCard.parse(FILE, "{\"task\":\"t\",\"labels\":[\"x\"],\"preprocessing\":{\"mode\":\"torchvision\","
                + "\"resize\":256,\"size\":224,\"mean\":[0.5,0.5,0.5],\"std\":[0.2,0.2,0.2]}}").gradCamLayer());
    }
}
