package org.saliency4j.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelCard;
import org.saliency4j.ModelOptions;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.Target;
import org.saliency4j.method.Method;
import org.saliency4j.models.ShapesTask;
import org.saliency4j.models.torch.LayerRandomizer;

/**
 * The model-randomisation sanity check (Adebayo et al., 2018): re-draw the layers' weights cumulatively from the
 * output side down, and after each step measure the Spearman rank correlation between each image's map and its
 * map under the intact model. A method that explains the model should lose the correlation as the model is
 * destroyed; one whose maps stay put explains the image, not the model. Maps are the absolute attribution's
 * largest value over channels, as in the paper's absolute-value variant.
 */
public final class SanityCheck {

    /** The mean rank correlation after randomising everything from the top down to {@code layer}. */
    public record Step(String layer, double spearman) {
    }

    private SanityCheck() {
    }

    public static List<Step> run(Path modelFile, ModelOptions options, Method method, long seed, int samples) {
        ModelCard card = ModelCard.read(modelFile).orElse(null);
        float[][] reference = maps(modelFile, options, method, seed, samples);
        List<String> layers = LayerRandomizer.layers(modelFile);
        List<Step> steps = new ArrayList<>();
        Set<String> randomized = new LinkedHashSet<>();
        Path scratch = scratchFile();
        try {
            for (int i = layers.size() - 1; i >= 0; i--) {
                randomized.add(layers.get(i));
                LayerRandomizer.randomize(modelFile, scratch, randomized, seed + i, card);
                float[][] maps = maps(scratch, options, method, seed, samples);
                double sum = 0;
                for (int s = 0; s < samples; s++) {
                    sum += spearman(reference[s], maps[s]);
                }
                steps.add(new Step(layers.get(i).isEmpty() ? "(root)" : layers.get(i), sum / samples));
            }
        } finally {
            try {
                Files.deleteIfExists(scratch);
            } catch (IOException e) {
                scratch.toFile().deleteOnExit();
            }
        }
        return steps;
    }

    private static float[][] maps(Path model, ModelOptions options, Method method, long seed, int samples) {
        try (SaliencyModel loaded = SaliencyModel.load(model, options.withWarmupRuns(1))) {
            ExplainRequest base = ShapesRequests.base(loaded, method);
            ShapesTask task = new ShapesTask(seed);
            float[][] maps = new float[samples][];
            for (int i = 0; i < samples; i++) {
                ShapesTask.Sample sample = task.sample(i);
                maps[i] = loaded.explain(ImageInput.picture("sample-" + i, sample.image()),
                        base.withTarget(Target.index(sample.label()))).map().toArray();
            }
            return maps;
        }
    }

    /** Spearman's rank correlation: Pearson's correlation of the ranks, ties sharing their mean rank. */
    static double spearman(float[] a, float[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double mean = (a.length + 1) / 2.0;
        double covariance = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            double da = ra[i] - mean;
            double db = rb[i] - mean;
            covariance += da * db;
            va += da * da;
            vb += db * db;
        }
        return va == 0 || vb == 0 ? 0 : covariance / Math.sqrt(va * vb);
    }

    private static double[] ranks(float[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Float.compare(values[x], values[y]));
        double[] ranks = new double[values.length];
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }

    private static Path scratchFile() {
        try {
            Path file = Files.createTempFile("saliency4j-randomized-", ".pt");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch file for the randomised model", e);
        }
    }
}
