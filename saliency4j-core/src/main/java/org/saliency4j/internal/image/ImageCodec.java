package org.saliency4j.internal.image;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.saliency4j.ImageFormat;
import org.saliency4j.Picture;

/** Encodes pictures with OpenCV. */
public final class ImageCodec {
    private static final int JPEG_QUALITY = 95;

    private ImageCodec() {
    }

    public static byte[] encode(Picture picture, ImageFormat format) {
        try (PointerScope scope = new PointerScope()) {
            Mat bgr = new Mat();
            cvtColor(Mats.rgb(picture), bgr, COLOR_RGB2BGR);
            BytePointer buffer = new BytePointer();
            IntPointer params = format == ImageFormat.JPEG ? new IntPointer(IMWRITE_JPEG_QUALITY, JPEG_QUALITY)
                    : new IntPointer();
            if (!imencode(format.extension(), bgr, buffer, params)) {
                throw new IllegalStateException("OpenCV could not encode a " + picture.width() + "x"
                        + picture.height() + " picture as " + format);
            }
            return Mats.bytes(buffer);
        }
    }
}
