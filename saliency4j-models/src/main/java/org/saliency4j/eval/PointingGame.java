package org.saliency4j.eval;

import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.ImageInput;
import org.saliency4j.SaliencyMap;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.Target;
import org.saliency4j.method.Method;
import org.saliency4j.models.ShapesTask;

/**
 * Scores saliency maps on fresh images of the demo task, where the object's box is known (Zhang et al., 2016):
 * the pointing game counts maps whose maximum falls inside the box dilated by {@value #MARGIN} pixels; the energy
 * share is the map's mass inside the undilated box. Each image is explained for its true class; maps are the
 * attribution's largest absolute value over channels, unnormalised. Chance is what a uniformly random point or a
 * uniform map would score: the box's share of the image.
 */
public final class PointingGame {
    /** Pixels added to each side of the box for the pointing game, as its authors allow for small misses. */
    public static final int MARGIN = 2;

    /** The figures for {@code samples} images. */
    public record Result(int samples, double accuracy, double pointingGame, double energyInBox, double chancePointing,
                         double chanceEnergy, double msPerImage) {
    }

    private PointingGame() {
    }

    public static Result run(SaliencyModel model, Method method, long seed, int samples) {
        ShapesTask task = new ShapesTask(seed);
        ExplainRequest base = ShapesRequests.base(model, method);
        int correct = 0;
        int hits = 0;
        double energy = 0;
        double chancePointing = 0;
        double chanceEnergy = 0;
        long start = System.nanoTime();
        for (int i = 0; i < samples; i++) {
            ShapesTask.Sample sample = task.sample(i);
            Explanation e = model.explain(ImageInput.picture("sample-" + i, sample.image()),
                    base.withTarget(Target.index(sample.label())));
            if (e.predictions().get(0).index() == sample.label()) {
                correct++;
            }
            SaliencyMap map = e.map();
            Box box = Box.of(sample, (double) map.width() / ShapesTask.SIZE);
            if (pointsInside(map, box)) {
                hits++;
            }
            energy += energyInside(map, box);
            double area = (double) map.width() * map.height();
            chancePointing += box.dilatedArea(map.width(), map.height()) / area;
            chanceEnergy += box.area() / area;
        }
        double ms = (System.nanoTime() - start) / 1e6 / samples;
        return new Result(samples, (double) correct / samples, (double) hits / samples, energy / samples,
                chancePointing / samples, chanceEnergy / samples, ms);
    }

    /** A sample's box in map pixels (inclusive-exclusive). */
    record Box(int x0, int y0, int x1, int y1) {
        static Box of(ShapesTask.Sample s, double scale) {
            return new Box((int) Math.floor(s.x0() * scale), (int) Math.floor(s.y0() * scale),
                    (int) Math.ceil(s.x1() * scale), (int) Math.ceil(s.y1() * scale));
        }

        double area() {
            return (double) (x1 - x0) * (y1 - y0);
        }

        double dilatedArea(int width, int height) {
            int w = Math.min(width, x1 + MARGIN) - Math.max(0, x0 - MARGIN);
            int h = Math.min(height, y1 + MARGIN) - Math.max(0, y0 - MARGIN);
            return (double) w * h;
        }
    }

    static boolean pointsInside(SaliencyMap map, Box box) {
        int best = 0;
        float[] values = map.toArray();
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        int x = best % map.width();
        int y = best / map.width();
        return x >= box.x0() - MARGIN && x < box.x1() + MARGIN && y >= box.y0() - MARGIN && y < box.y1() + MARGIN;
    }

    static double energyInside(SaliencyMap map, Box box) {
        double inside = 0;
        double total = 0;
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                double v = Math.abs(map.at(x, y));
                total += v;
                if (x >= box.x0() && x < box.x1() && y >= box.y0() && y < box.y1()) {
                    inside += v;
                }
            }
        }
        return total > 0 ? inside / total : 0;
    }
}
