package org.saliency4j.image;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import java.util.Random;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.saliency4j.Picture;

/** Synthetic pictures with a fixed seed, and OpenCV encodings of them made independently of the code under test. */
public final class TestImages {
    private TestImages() {
    }

    /** Smooth colour ramps plus noise: every pixel differs, and resampling has something to average. */
    public static Picture pattern(int width, int height, long seed) {
        Random random = new Random(seed);
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                rgb[i] = (byte) clamp(x * 255 / Math.max(1, width - 1) + random.nextInt(21) - 10);
                rgb[i + 1] = (byte) clamp(y * 255 / Math.max(1, height - 1) + random.nextInt(21) - 10);
                rgb[i + 2] = (byte) clamp(((x + y) * 7) % 256);
            }
        }
        return new Picture(width, height, rgb);
    }

    /** Encodes a Mat holding OpenCV's own channel order (BGR, BGRA, grey) with the given extension. */
    public static byte[] encode(Mat mat, String extension) {
        try (PointerScope scope = new PointerScope()) {
            BytePointer buffer = new BytePointer();
            if (!imencode(extension, mat, buffer)) {
                throw new IllegalStateException("OpenCV cannot encode " + extension);
            }
            byte[] bytes = new byte[(int) buffer.limit()];
            buffer.get(bytes);
            return bytes;
        }
    }

    /** The picture as OpenCV would hold it after reading: BGR. */
    public static Mat bgr(Picture picture) {
        Mat rgb = new Mat(picture.height(), picture.width(), org.bytedeco.opencv.global.opencv_core.CV_8UC3);
        rgb.data().put(picture.toRgbBytes());
        Mat bgr = new Mat();
        cvtColor(rgb, bgr, COLOR_RGB2BGR);
        return bgr;
    }

    public static byte[] encode(Picture picture, String extension) {
        try (PointerScope scope = new PointerScope()) {
            return encode(bgr(picture), extension);
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
