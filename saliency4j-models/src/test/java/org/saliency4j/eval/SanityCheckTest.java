package org.saliency4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.saliency4j.ModelOptions;
import org.saliency4j.method.Method;
import org.saliency4j.models.BuiltinModels;
import org.saliency4j.models.torch.LayerRandomizer;

class SanityCheckTest {
    @Test
    void spearmanIsOneForAnyIncreasingMapAndMinusOneReversed() {
        float[] a = {0.1f, 5f, 2f, 3f, -1f};
        float[] squashed = {1f, 2f, 1.5f, 1.7f, 0f};
        float[] reversed = {-0.1f, -5f, -2f, -3f, 1f};
        assertEquals(1.0, SanityCheck.spearman(a, squashed), 1e-12);
        assertEquals(-1.0, SanityCheck.spearman(a, reversed), 1e-12);
    }

    @Test
    void tiesShareTheirMeanRank() {
        // ranks of {1, 2, 2, 3}: 1, 2.5, 2.5, 4; of {1, 2, 3, 4}: 1, 2, 3, 4. Pearson of those is 0.9486833.
        assertEquals(3 / Math.sqrt(10), SanityCheck.spearman(new float[]{1, 2, 2, 3}, new float[]{1, 2, 3, 4}), 1e-9);
    }

    @Test
    void theDemoModelsLayersComeInputFirst() {
        assertEquals(List.of("conv1", "norm1", "conv2", "norm2", "conv3", "norm3", "conv4", "norm4", "fc"),
                LayerRandomizer.layers(BuiltinModels.demoFile()));
    }

    @Test
    void vanillaMapsLoseTheirCorrelationAsTheModelIsDestroyed() {
        List<SanityCheck.Step> steps = SanityCheck.run(BuiltinModels.demoFile(), ModelOptions.defaults().withDevice("cpu"),
                Method.vanilla(), 5, 8);
        assertEquals(9, steps.size());
        assertEquals("fc", steps.get(0).layer());
        assertEquals("conv1", steps.get(8).layer());
        assertTrue(steps.get(0).spearman() < 0.95, "randomising the classifier changes the maps: " + steps.get(0));
        assertTrue(steps.get(8).spearman() < 0.5, "a destroyed model gives unrelated maps: " + steps.get(8));
    }
}
