package org.saliency4j.internal.image;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.max;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_core.sqrt;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TOZERO;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TRUNC;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.saliency4j.Normalization;
import org.saliency4j.Reduction;
import org.saliency4j.SaliencyMap;

/**
 * Reduces a (3, H, W) attribution to a 2-D map and normalises it, with OpenCV matrix operations. A (1, H, W)
 * attribution (Grad-CAM's) is its own map: the reductions that take absolute values take that plane's.
 */
public final class MapBuilder {
    private MapBuilder() {
    }

    /**
     * @param gradient the attribution w.r.t. the model input, (3, height, width) or (1, height, width) row-major
     * @param mean     the input normalisation's mean, used by {@link Reduction#SEED}
     * @param std      the input normalisation's std, used by {@link Reduction#SEED}
     */
    public static SaliencyMap build(float[] gradient, int height, int width, Reduction reduction,
                                    Normalization normalization, float[] mean, float[] std) {
        try (PointerScope scope = new PointerScope()) {
            int plane = height * width;
            Mat reduced;
            if (gradient.length == plane) {
                Mat only = Mats.floats(gradient, 0, height, width);
                reduced = reduction == Reduction.SUM || reduction == Reduction.SEED ? only : abs(only);
            } else {
                Mat[] channels = new Mat[3];
                for (int c = 0; c < 3; c++) {
                    channels[c] = Mats.floats(gradient, c * plane, height, width);
                }
                reduced = reduce(channels, reduction, mean, std);
                if (reduction == Reduction.SEED) {
                    reduced = minMax(reduced);
                }
            }
            Mat normalised = normalise(reduced, normalization);
            return new SaliencyMap(width, height, Mats.floats(normalised), reduction);
        }
    }

    private static Mat reduce(Mat[] c, Reduction reduction, float[] mean, float[] std) {
        Mat out = new Mat();
        switch (reduction) {
            case SUM -> {
                add(c[0], c[1], out);
                add(out, c[2], out);
            }
            case ABS_SUM -> {
                add(abs(c[0]), abs(c[1]), out);
                add(out, abs(c[2]), out);
            }
            case ABS_MAX -> {
                max(abs(c[0]), abs(c[1]), out);
                max(out, abs(c[2]), out);
            }
            case L2 -> {
                Mat square = new Mat();
                multiply(c[0], c[0], out);
                for (int i = 1; i < 3; i++) {
                    multiply(c[i], c[i], square);
                    add(out, square, out);
                }
                sqrt(out, out);
            }
            case SEED -> {
                // The tutorial un-normalises the gradient as if it were an image: g * std + mean per channel.
                Mat restored = new Mat();
                c[0].convertTo(out, CV_32F, std[0], mean[0]);
                for (int i = 1; i < 3; i++) {
                    c[i].convertTo(restored, CV_32F, std[i], mean[i]);
                    add(out, restored, out);
                }
            }
        }
        return out;
    }

    private static Mat abs(Mat m) {
        Mat out = new Mat();
        absdiff(m, new Mat(m.size(), CV_32F, Scalar.all(0)), out);
        return out;
    }

    private static Mat normalise(Mat map, Normalization normalization) {
        return switch (normalization.mode()) {
            case NONE -> map;
            case MINMAX -> minMax(map);
            case PERCENTILE -> {
                double low = min(map);
                double high = Quantiles.percentile(Mats.floats(map), normalization.percentile());
                Mat out = scale(map, low, high);
                // PAIR saliency clips to [0, 1] after dividing by the percentile.
                threshold(out, out, 1.0, 0, THRESH_TRUNC);
                threshold(out, out, 0.0, 0, THRESH_TOZERO);
                yield out;
            }
        };
    }

    private static Mat minMax(Mat map) {
        DoublePointer low = new DoublePointer(1);
        DoublePointer high = new DoublePointer(1);
        minMaxLoc(map, low, high, null, null, null);
        return scale(map, low.get(), high.get());
    }

    private static double min(Mat map) {
        DoublePointer low = new DoublePointer(1);
        minMaxLoc(map, low, null, null, null, null);
        return low.get();
    }

    /** (m - low) / (high - low); a constant map becomes all zeros rather than NaN. */
    private static Mat scale(Mat map, double low, double high) {
        Mat out = new Mat();
        double range = high - low;
        if (range > 0) {
            map.convertTo(out, CV_32F, 1.0 / range, -low / range);
        } else {
            map.convertTo(out, CV_32F, 0, 0);
        }
        return out;
    }
}
