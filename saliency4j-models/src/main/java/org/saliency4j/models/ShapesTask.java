package org.saliency4j.models;

import java.util.List;
import java.util.Random;
import org.saliency4j.Picture;
import org.saliency4j.internal.image.Canvas;

/**
 * The demo task: one of five shapes at a random position, size, colour and rotation, on a noisy, cluttered
 * background of gradients, thin lines and dots. The shape's bounding box is known, so a saliency map can be scored
 * objectively. Sample {@code i} of seed {@code s} is the same on every run.
 */
public final class ShapesTask {
    public static final List<String> LABELS = List.of("circle", "square", "triangle", "cross", "star");
    public static final int SIZE = 64;

    private static final int CLUTTER_LINES = 6;
    private static final int CLUTTER_DOTS = 10;
    private static final double MIN_RADIUS = 7;
    private static final double MAX_RADIUS = 14;

    /** A drawn image, its class, and the shape's bounding box in pixels (inclusive-exclusive). */
    public record Sample(Picture image, int label, int x0, int y0, int x1, int y1) {
    }

    private final long seed;

    public ShapesTask(long seed) {
        this.seed = seed;
    }

    public Sample sample(long index) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + index);
        int label = random.nextInt(LABELS.size());
        double radius = MIN_RADIUS + random.nextDouble() * (MAX_RADIUS - MIN_RADIUS);
        double margin = radius + 1;
        double cx = margin + random.nextDouble() * (SIZE - 2 * margin);
        double cy = margin + random.nextDouble() * (SIZE - 2 * margin);
        double angle = random.nextDouble() * 2 * Math.PI;
        int[] colour = vividColour(random);
        double[] outline = outline(label, cx, cy, radius, angle);
        try (Canvas canvas = new Canvas(background(random))) {
            clutter(canvas, random);
            if (label == 0) {
                canvas.fillCircle(cx, cy, radius, colour);
            } else {
                canvas.fillPolygon(outline, colour);
            }
            int[] box = bounds(outline);
            return new Sample(canvas.toPicture(), label, box[0], box[1], box[2], box[3]);
        }
    }

    /** Corner points; a circle is described by a 32-gon for its bounding box. */
    static double[] outline(int label, double cx, double cy, double r, double angle) {
        return switch (label) {
            case 0 -> regular(32, cx, cy, r, 0);
            case 1 -> regular(4, cx, cy, r, angle);
            case 2 -> regular(3, cx, cy, r, angle);
            case 3 -> cross(cx, cy, r, angle);
            default -> star(cx, cy, r, angle);
        };
    }

    private static double[] regular(int corners, double cx, double cy, double r, double angle) {
        double[] xy = new double[corners * 2];
        for (int i = 0; i < corners; i++) {
            double a = angle + 2 * Math.PI * i / corners;
            xy[2 * i] = cx + r * Math.cos(a);
            xy[2 * i + 1] = cy + r * Math.sin(a);
        }
        return xy;
    }

    private static double[] star(double cx, double cy, double r, double angle) {
        double[] xy = new double[20];
        for (int i = 0; i < 10; i++) {
            double a = angle + Math.PI * i / 5;
            double radius = i % 2 == 0 ? r : r * 0.45;
            xy[2 * i] = cx + radius * Math.cos(a);
            xy[2 * i + 1] = cy + radius * Math.sin(a);
        }
        return xy;
    }

    /** A plus sign with arms a third of the radius wide, rotated. */
    private static double[] cross(double cx, double cy, double r, double angle) {
        double w = r / 3;
        double[][] corners = {{-w, -r}, {w, -r}, {w, -w}, {r, -w}, {r, w}, {w, w}, {w, r}, {-w, r}, {-w, w},
                {-r, w}, {-r, -w}, {-w, -w}};
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double[] xy = new double[corners.length * 2];
        for (int i = 0; i < corners.length; i++) {
            xy[2 * i] = cx + corners[i][0] * cos - corners[i][1] * sin;
            xy[2 * i + 1] = cy + corners[i][0] * sin + corners[i][1] * cos;
        }
        return xy;
    }

    private static int[] bounds(double[] xy) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int i = 0; i < xy.length; i += 2) {
            minX = Math.min(minX, xy[i]);
            maxX = Math.max(maxX, xy[i]);
            minY = Math.min(minY, xy[i + 1]);
            maxY = Math.max(maxY, xy[i + 1]);
        }
        return new int[]{clamp((int) Math.floor(minX)), clamp((int) Math.floor(minY)),
                clamp((int) Math.ceil(maxX) + 1), clamp((int) Math.ceil(maxY) + 1)};
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(SIZE, v));
    }

    /** A linear gradient between two muted colours, with per-pixel noise. */
    private static Picture background(Random random) {
        int[] from = mutedColour(random);
        int[] to = mutedColour(random);
        double dx = random.nextGaussian();
        double dy = random.nextGaussian();
        double norm = Math.max(1e-6, Math.abs(dx) + Math.abs(dy)) * SIZE;
        byte[] rgb = new byte[SIZE * SIZE * 3];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double t = 0.5 + (dx * (x - SIZE / 2.0) + dy * (y - SIZE / 2.0)) / norm;
                for (int c = 0; c < 3; c++) {
                    double v = from[c] + (to[c] - from[c]) * t + random.nextGaussian() * 12;
                    rgb[(y * SIZE + x) * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return new Picture(SIZE, SIZE, rgb);
    }

    /** Thin lines and small dots in any colour: edges and blobs that are not one of the shapes. */
    private static void clutter(Canvas canvas, Random random) {
        for (int i = 0; i < CLUTTER_LINES; i++) {
            canvas.line(random.nextDouble() * SIZE, random.nextDouble() * SIZE, random.nextDouble() * SIZE,
                    random.nextDouble() * SIZE, 1, anyColour(random));
        }
        for (int i = 0; i < CLUTTER_DOTS; i++) {
            canvas.fillCircle(random.nextDouble() * SIZE, random.nextDouble() * SIZE, 1 + random.nextDouble() * 1.5,
                    anyColour(random));
        }
    }

    private static int[] mutedColour(Random random) {
        return new int[]{60 + random.nextInt(120), 60 + random.nextInt(120), 60 + random.nextInt(120)};
    }

    private static int[] anyColour(Random random) {
        return new int[]{random.nextInt(256), random.nextInt(256), random.nextInt(256)};
    }

    /** A saturated colour: one channel high, one low, so the shape stands out from the muted background. */
    private static int[] vividColour(Random random) {
        int[] rgb = {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
        int high = random.nextInt(3);
        int low = (high + 1 + random.nextInt(2)) % 3;
        rgb[high] = 200 + random.nextInt(56);
        rgb[low] = random.nextInt(50);
        return rgb;
    }
}
