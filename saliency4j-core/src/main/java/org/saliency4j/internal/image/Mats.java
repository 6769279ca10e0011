package org.saliency4j.internal.image;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import org.saliency4j.internal.Adopted;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.saliency4j.Picture;

/**
 * Copies between Java arrays and OpenCV matrices. Each Mat made here owns its memory (a copy), so no Mat
 * ever points into a Java array or a tensor that might be gone; callers free them through a PointerScope.
 */
final class Mats {
    private Mats() {
    }

    static Mat rgb(Picture picture) {
        Mat mat = new Mat(picture.height(), picture.width(), CV_8UC3);
        mat.data().put(picture.toRgbBytes());
        return mat;
    }

    static Picture picture(Mat rgb) {
        long pixels = (long) rgb.rows() * rgb.cols();
        if (pixels > Picture.MAX_PIXELS) {
            throw new IllegalArgumentException("a " + rgb.cols() + "x" + rgb.rows() + " image is more than a picture"
                    + " holds (" + Picture.MAX_PIXELS + " pixels)");
        }
        Mat continuous = rgb.isContinuous() ? rgb : rgb.clone();
        byte[] bytes = new byte[(int) pixels * 3];
        continuous.data().get(bytes);
        return Adopted.picture(continuous.cols(), continuous.rows(), bytes);
    }

    /** A single-channel float matrix holding a copy of {@code values} (row-major, rows x cols). */
    static Mat floats(float[] values, int offset, int rows, int cols) {
        Mat mat = new Mat(rows, cols, CV_32F);
        new FloatPointer(mat.data()).put(values, offset, rows * cols);
        return mat;
    }

    static float[] floats(Mat mat) {
        Mat continuous = mat.isContinuous() ? mat : mat.clone();
        float[] values = new float[continuous.rows() * continuous.cols()];
        new FloatPointer(continuous.data()).get(values);
        return values;
    }

    static byte[] bytes(BytePointer pointer) {
        byte[] bytes = new byte[(int) pointer.limit()];
        pointer.get(bytes);
        return bytes;
    }
}
