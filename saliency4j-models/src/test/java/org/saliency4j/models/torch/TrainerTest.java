package org.saliency4j.models.torch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.Score;
import org.saliency4j.internal.torch.GradientBatch;
import org.saliency4j.internal.torch.TestModels;
import org.saliency4j.internal.torch.TorchClassifier;

/** Training from Java fits data: a small conv net memorises a fixed batch, and the saved file holds what it learnt. */
class TrainerTest {
    private static final int SIZE = 8;
    private static final int BATCH = 12;

    @TempDir
    Path dir;

    @Test
    void aFixedBatchIsMemorisedAndTheSavedModelPredictsIt() {
        Path file = dir.resolve("conv.pt");
        TestModels.convNet(file, 8, 3, 4);
        Random random = new Random(1);
        float[] images = new float[BATCH * 3 * SIZE * SIZE];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        long[] labels = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = i % 3;
        }
        Trainer.Batch batch = new Trainer.Batch(images, labels, SIZE);
        List<Float> losses = new ArrayList<>();
        Trainer.train(file, null, step -> batch, 150, step -> 0.05, (step, loss) -> losses.add(loss));
        assertTrue(losses.get(149) < 0.3 * losses.get(0), "loss " + losses.get(0) + " -> " + losses.get(149));
        try (TorchClassifier trained = TorchClassifier.load(file, "cpu", SIZE, 0)) {
            GradientBatch result = trained.gradients(images, BATCH, SIZE, SIZE, (i, p) -> 0, Score.LOGIT);
            int correct = 0;
            for (int i = 0; i < BATCH; i++) {
                float[] row = Arrays.copyOfRange(result.probabilities(), i * 3, i * 3 + 3);
                correct += argmax(row) == labels[i] ? 1 : 0;
            }
            assertTrue(correct >= BATCH - 2, correct + " of " + BATCH + " memorised");
        }
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
