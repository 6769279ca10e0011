package org.saliency4j.internal.image;

import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.fillPoly;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.saliency4j.Picture;

/**
 * An RGB drawing surface backed by an OpenCV matrix, for synthetic images. It owns native memory: close it.
 * Colours are {r, g, b} in 0-255; coordinates are pixels, with sub-pixel precision where OpenCV offers it.
 */
public final class Canvas implements AutoCloseable {
    private static final int SHIFT = 4;
    private final Mat mat;

    /** A canvas holding the given picture's pixels. */
    public Canvas(Picture background) {
        this.mat = Mats.rgb(background);
    }

    public void fillCircle(double cx, double cy, double radius, int[] rgb) {
        try (Point centre = point(cx, cy); Scalar colour = colour(rgb)) {
            circle(mat, centre, (int) Math.round(radius * (1 << SHIFT)), colour, -1, LINE_AA, SHIFT);
        }
    }

    /** Fills the polygon through the given points, {x0, y0, x1, y1, ...}. */
    public void fillPolygon(double[] xy, int[] rgb) {
        int n = xy.length / 2;
        int[] fixed = new int[xy.length];
        for (int i = 0; i < xy.length; i++) {
            fixed[i] = (int) Math.round(xy[i] * (1 << SHIFT));
        }
        try (Mat points = new Mat(n, 1, CV_32SC2); Scalar colour = colour(rgb)) {
            new IntPointer(points.data()).put(fixed);
            try (MatVector polygons = new MatVector(points); Point origin = new Point()) {
                fillPoly(mat, polygons, colour, LINE_AA, SHIFT, origin);
            }
        }
    }

    public void line(double x0, double y0, double x1, double y1, int thickness, int[] rgb) {
        try (Point a = point(x0, y0); Point b = point(x1, y1); Scalar colour = colour(rgb)) {
            opencv_imgproc.line(mat, a, b, colour, thickness, LINE_AA, SHIFT);
        }
    }

    public Picture toPicture() {
        return Mats.picture(mat);
    }

    @Override
    public void close() {
        mat.close();
    }

    private static Point point(double x, double y) {
        return new Point((int) Math.round(x * (1 << SHIFT)), (int) Math.round(y * (1 << SHIFT)));
    }

    private static Scalar colour(int[] rgb) {
        return new Scalar(rgb[0], rgb[1], rgb[2], 0);
    }
}
