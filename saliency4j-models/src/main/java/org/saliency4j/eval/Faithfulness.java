package org.saliency4j.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.saliency4j.Baseline;
import org.saliency4j.ImageInput;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;
import org.saliency4j.SaliencyException;
import org.saliency4j.SaliencyMap;
import org.saliency4j.Score;
import org.saliency4j.Target;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.method.Method;
import org.saliency4j.models.ShapesTask;

/**
 * How faithful maps are to the model, image by image, for several methods and two maps that know nothing of the
 * model (uniform noise, and the Sobel edges of the image):
 * <ul>
 * <li>deletion and insertion curves (Petsiuk et al., 2018): the target's softmax probability as pixels are
 * replaced by the deletion baseline (zero, the dataset's mean colour, by default), or revealed from the insertion
 * baseline (the image blurred), most relevant first (MoRF: a faithful map's deletion falls fast and its insertion
 * rises fast) and least relevant first (LeRF: the other way round); the areas under them;</li>
 * <li>the random-logit test (Sixt et al., 2020): the Spearman rank correlation between the map for the target
 * and the map for another class drawn at random; a map that hardly changes explains the image, not the class;</li>
 * <li>infidelity as Captum computes it ({@link Infidelity}), of the attribution against the target's score as
 * explained (the request's score);</li>
 * <li>on the demo task, the pointing game and the energy in the object's box ({@link PointingGame}).</li>
 * </ul>
 * Maps are the attribution's largest absolute value over channels, unnormalised, as the other evaluations'. Work
 * per image is bounded before it starts: the curve's points, the perturbations. Everything random is drawn from
 * the settings' seed and the image's index.
 */
public final class Faithfulness {
    /** The most perturbations per image for infidelity. */
    public static final int MAX_SAMPLES = 10_000;
    /** The name of the uniformly random map's rows. */
    public static final String RANDOM = "random";
    /** The name of the edge detector's rows. */
    public static final String EDGES = "sobel-edges";

    /**
     * @param step                pixels deleted or revealed per step; 0 for the input's side (224 at 224x224, the
     *                            RISE paper's step; 64 on the demo task)
     * @param deletionBaseline    what deleted pixels become
     * @param insertionBaseline   what the insertion curve starts from
     * @param infidelityStd       the Gaussian perturbations' standard deviation, in the model input's (normalised)
     *                            units
     * @param infidelitySamples   perturbations per image
     * @param normalizeInfidelity Captum's {@code normalize}: scale the attribution by the least-squares factor first
     * @param seed                seeds the random maps, the perturbations and the other class
     */
    public record Settings(int step, Baseline deletionBaseline, Baseline insertionBaseline, double infidelityStd,
                           int infidelitySamples, boolean normalizeInfidelity, long seed) {
        public Settings {
            if (step < 0) {
                throw invalid("step", "must be 0 (the input's side) or a number of pixels, got " + step);
            }
            if (deletionBaseline == null || insertionBaseline == null) {
                throw invalid("baseline", "is missing");
            }
            if (!(infidelityStd > 0) || Double.isInfinite(infidelityStd)) {
                throw invalid("infidelity-std", "must be positive, got " + infidelityStd);
            }
            if (infidelitySamples < 1 || infidelitySamples > MAX_SAMPLES) {
                throw invalid("infidelity-samples", "must be between 1 and " + MAX_SAMPLES + ", got "
                        + infidelitySamples);
            }
        }

        /**
         * RISE's protocol (a step of one side, zero to delete to, the image blurred to insert from), infidelity with
         * 32 perturbations of standard deviation 0.1, normalised, seed 0.
         */
        public static Settings defaults() {
            return new Settings(0, Baseline.zero(), Baseline.parse("blur"), 0.1, 32, true, 0);
        }

        private static SaliencyException invalid(String parameter, String problem) {
            return new SaliencyException(SaliencyException.Kind.OPTION, parameter, problem);
        }
    }

    /** The four curves of one map on one image. */
    public record Curves(Curve deletion, Curve deletionLerf, Curve insertion, Curve insertionLerf) {
    }

    /**
     * One map's figures on one image; NaN (null for {@code pointingHit}) where a figure is not measured: the
     * pointing game off the demo task, the random-logit test and the cost for the reference maps.
     *
     * @param target      the class explained: the true one on the demo task, else the model's most probable
     * @param otherClass  the class of the random-logit test, -1 when not measured
     * @param randomLogit the Spearman correlation of the maps for {@code target} and {@code otherClass}
     * @param passes      images sent through the model to explain one ({@link SaliencyModel#passes})
     * @param ms          the explanation's time, {@link org.saliency4j.Timings#totalMs()}
     * @param error       why the method failed on this image; null when it did not (the figures are then empty)
     */
    public record Row(String image, String method, int target, Curves curves, double infidelity, int otherClass,
                      double randomLogit, long passes, double ms, Boolean pointingHit, double energyInBox,
                      String error) {
        public boolean ok() {
            return error == null;
        }

        static Row failed(String image, String method, int target, String error) {
            return new Row(image, method, target, null, Double.NaN, -1, Double.NaN, 0, Double.NaN, null, Double.NaN,
                    error);
        }
    }

    private final SaliencyModel model;
    private final List<Method> methods;
    private final Settings settings;

    /**
     * @throws SaliencyException naming {@code step} when it makes more than {@value PixelCurves#MAX_POINTS} points
     *                           on the model's input: checked before any image is read
     */
    public Faithfulness(SaliencyModel model, List<Method> methods, Settings settings) {
        this.model = model;
        this.methods = List.copyOf(methods);
        this.settings = settings;
        int side = model.preprocessing().size();
        PixelCurves.points(side * side, step(side));
    }

    /**
     * Evaluates every method on an image, explained for the model's most probable class at the model's own
     * preprocessing. A method that fails gives a row that says why; the others still run.
     *
     * @param index the image's place in the run: with the seed, it draws the image's random numbers
     * @throws SaliencyException naming the image when it cannot be decoded
     */
    public List<Row> evaluate(ImageInput image, long index) {
        return evaluate(image, Target.top1(), model.preprocessing(), null, index);
    }

    /**
     * Evaluates every method on a sample of the demo task, explained for its true class with the whole image as
     * input, and adds the pointing game in its box.
     */
    public List<Row> evaluate(ShapesTask.Sample sample, long index) {
        ImageInput image = ImageInput.picture("sample-" + index, sample.image());
        return evaluate(image, Target.index(sample.label()), ShapesRequests.preprocessing(model), sample, index);
    }

    private List<Row> evaluate(ImageInput given, Target target, Preprocessing preprocessing, ShapesTask.Sample sample,
                               long index) {
        ImageInput image = ImageInput.picture(given.name(), model.decode(given));
        // One plain gradient pass resolves the class and gives the input, its view and the baselines for all.
        Explanation probe = model.explain(image, ShapesRequests.maps(preprocessing, Method.vanilla())
                .withTarget(target));
        Image prepared = new Image(image, probe, preprocessing, sample, index);
        List<Row> rows = new ArrayList<>();
        for (Method method : methods) {
            rows.add(prepared.method(method));
        }
        rows.add(prepared.reference(RANDOM, ReferenceMaps.random(prepared.pixels(), prepared.seed)));
        rows.add(prepared.reference(EDGES, ReferenceMaps.sobel(probe.view())));
        return rows;
    }

    private int step(int side) {
        return settings.step() == 0 ? side : settings.step();
    }

    /** One image, prepared once for every method: its input, baselines, perturbations and other class. */
    private final class Image {
        private final ImageInput image;
        private final Preprocessing preprocessing;
        private final ShapesTask.Sample sample;
        private final int target;
        private final int height;
        private final int width;
        private final float[] input;
        private final float[] deletionBaseline;
        private final float[] insertionBaseline;
        private final Infidelity.Perturbations perturbations;
        private final Score score;
        private final int otherClass;
        private final long seed;

        Image(ImageInput image, Explanation probe, Preprocessing preprocessing, ShapesTask.Sample sample, long index) {
            this.image = image;
            this.preprocessing = preprocessing;
            this.sample = sample;
            this.target = probe.target().index();
            this.score = probe.target().score();
            this.height = probe.map().height();
            this.width = probe.map().width();
            this.input = probe.input().toArray();
            Picture view = probe.view();
            this.deletionBaseline = model.baseline(settings.deletionBaseline(), view, preprocessing).toArray();
            this.insertionBaseline = model.baseline(settings.insertionBaseline(), view, preprocessing).toArray();
            SplittableRandom random = new SplittableRandom(settings.seed() ^ (index * 0x9E3779B97F4A7C15L));
            this.seed = random.nextLong();
            int classes = model.info().classes();
            // Uniform over the other classes: draw among classes - 1 and skip the target.
            int drawn = classes > 1 ? random.nextInt(classes - 1) : -1;
            this.otherClass = drawn < 0 ? -1 : drawn >= target ? drawn + 1 : drawn;
            this.perturbations = Infidelity.measure(inputs -> model.scores(inputs, target, score), input, height,
                    width, settings.infidelityStd(), settings.infidelitySamples(), random.nextLong(), model.batch());
        }

        int pixels() {
            return height * width;
        }

        Row method(Method method) {
            try {
                ExplainRequest request = ShapesRequests.maps(preprocessing, method).withTarget(Target.index(target));
                Explanation e = model.explain(image, request);
                float[] map = e.map().toArray();
                double randomLogit = Double.NaN;
                if (otherClass >= 0) {
                    float[] other = model.explain(image, request.withTarget(Target.index(otherClass))).map().toArray();
                    randomLogit = SanityCheck.spearman(map, other);
                }
                return row(method.spec(), map, e.attribution().toArray(), otherClass, randomLogit,
                        model.passes(request), e.timings().totalMs());
            } catch (RuntimeException e) {
                // A method that cannot explain this image (its layer, its memory) fails its own row only.
                String message = e instanceof SaliencyException ? e.getMessage()
                        : e.toString().strip().lines().findFirst().orElse(e.getClass().getName());
                return Row.failed(image.name(), method.spec(), target, message);
            }
        }

        Row reference(String name, float[] map) {
            return row(name, map, map, -1, Double.NaN, 0, Double.NaN);
        }

        private Row row(String name, float[] map, float[] attribution, int other, double randomLogit, long passes,
                        double ms) {
            Curves curves = curves(map);
            double infidelity = Infidelity.of(perturbations, attribution, input.length,
                    settings.normalizeInfidelity());
            Boolean hit = null;
            double energy = Double.NaN;
            if (sample != null) {
                SaliencyMap saliency = new SaliencyMap(width, height, map);
                PointingGame.Box box = PointingGame.Box.of(sample, (double) width / ShapesTask.SIZE);
                hit = PointingGame.pointsInside(saliency, box);
                energy = PointingGame.energyInside(saliency, box);
            }
            return new Row(image.name(), name, target, curves, infidelity, other, randomLogit, passes, ms, hit, energy,
                    null);
        }

        private Curves curves(float[] map) {
            int[] morf = PixelOrder.mostRelevantFirst(map);
            int[] lerf = PixelOrder.leastRelevantFirst(map);
            Scorer probability = inputs -> model.scores(inputs, target, Score.PROBABILITY);
            int step = step(width);
            int chunk = model.batch();
            return new Curves(
                    PixelCurves.curve(probability, input, deletionBaseline, morf, height, width, step, chunk),
                    PixelCurves.curve(probability, input, deletionBaseline, lerf, height, width, step, chunk),
                    PixelCurves.curve(probability, insertionBaseline, input, morf, height, width, step, chunk),
                    PixelCurves.curve(probability, insertionBaseline, input, lerf, height, width, step, chunk));
        }
    }
}
