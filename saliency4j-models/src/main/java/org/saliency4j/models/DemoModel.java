package org.saliency4j.models;

import java.nio.file.Path;
import org.saliency4j.ModelCard;
import org.saliency4j.Preprocessing;
import org.saliency4j.internal.image.Preprocessor;
import org.saliency4j.models.torch.ScriptWriter;
import org.saliency4j.models.torch.Trainer;

/** Writes {@link DemoNet} as TorchScript and trains it on {@link ShapesTask}, all from Java. */
public final class DemoModel {
    public static final Preprocessing PREPROCESSING = new Preprocessing(Preprocessing.Mode.STRETCH, ShapesTask.SIZE,
            ShapesTask.SIZE, new float[]{0.5f, 0.5f, 0.5f}, new float[]{0.25f, 0.25f, 0.25f});
    public static final ModelCard CARD = new ModelCard("demo-shapes", ShapesTask.LABELS, PREPROCESSING);

    static final int BATCH = 64;
    static final int STEPS = 1500;
    static final double PEAK_LEARNING_RATE = 2e-3;

    private DemoModel() {
    }

    /**
     * Builds and trains the demo classifier into {@code file}.
     *
     * @param seed     seeds the initial weights and the training images
     * @param progress told of each training step's loss
     */
    public static void build(Path file, long seed, Trainer.Progress progress) {
        build(file, seed, STEPS, progress);
    }

    /** The same, for a given number of steps (the learning-rate schedule spans them). */
    static void build(Path file, long seed, int steps, Trainer.Progress progress) {
        ScriptWriter.save(DemoNet.spec(seed), "DemoNet", DemoNet.FORWARD, CARD, file);
        ShapesTask task = new ShapesTask(seed);
        Trainer.train(file, CARD, step -> batch(task, (long) step * BATCH), steps,
                step -> learningRate(step, steps), progress);
    }

    /** Cosine decay from the peak to zero: fast progress early, small steps to settle at the end. */
    static double learningRate(int step, int steps) {
        return PEAK_LEARNING_RATE * 0.5 * (1 + Math.cos(Math.PI * step / steps));
    }

    private static Trainer.Batch batch(ShapesTask task, long first) {
        int plane = 3 * ShapesTask.SIZE * ShapesTask.SIZE;
        float[] images = new float[BATCH * plane];
        long[] labels = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            ShapesTask.Sample sample = task.sample(first + i);
            System.arraycopy(Preprocessor.prepare(sample.image(), PREPROCESSING).tensor(), 0, images, i * plane, plane);
            labels[i] = sample.label();
        }
        return new Trainer.Batch(images, labels, ShapesTask.SIZE);
    }
}
