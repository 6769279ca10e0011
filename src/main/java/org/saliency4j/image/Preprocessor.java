package org.saliency4j.image;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.saliency4j.CropRegion;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;

/**
 * Resizes and crops with OpenCV, then scales and normalises exactly as torchvision's {@code ToTensor()} and
 * {@code Normalize()} do in float32 ({@code x / 255}, then {@code (x - mean) / std}), so that an image already
 * at the resize size gives torchvision's tensor bit for bit.
 */
public final class Preprocessor {
    private Preprocessor() {
    }

    public static ModelInput prepare(Picture image, Preprocessing p) {
        try (PointerScope scope = new PointerScope()) {
            Mat rgb = Mats.rgb(image);
            int w = image.width();
            int h = image.height();
            Picture view;
            CropRegion region;
            if (p.mode() == Preprocessing.Mode.TORCHVISION) {
                // torchvision's Resize(int): the shorter side becomes `resize`, the longer one int(resize * long / short).
                boolean wide = w >= h;
                int shorter = wide ? h : w;
                int longer = wide ? w : h;
                int newLonger = (int) ((long) p.resize() * longer / shorter);
                int newW = wide ? newLonger : p.resize();
                int newH = wide ? p.resize() : newLonger;
                Mat resized = resizeTo(rgb, newW, newH);
                // torchvision's CenterCrop rounds half to even (Python's round).
                int top = (int) Math.rint((newH - p.size()) / 2.0);
                int left = (int) Math.rint((newW - p.size()) / 2.0);
                view = Mats.picture(new Mat(resized, new Rect(left, top, p.size(), p.size())).clone());
                double sx = (double) w / newW;
                double sy = (double) h / newH;
                region = new CropRegion(left * sx, top * sy, p.size() * sx, p.size() * sy);
            } else {
                view = Mats.picture(resizeTo(rgb, p.size(), p.size()));
                region = new CropRegion(0, 0, w, h);
            }
            return new ModelInput(normalise(view, p.mean(), p.std()), view, region);
        }
    }

    /** Area averaging when shrinking (close to PIL's antialiased bilinear), bilinear when enlarging. */
    private static Mat resizeTo(Mat rgb, int width, int height) {
        if (rgb.cols() == width && rgb.rows() == height) {
            return rgb;
        }
        Mat out = new Mat();
        boolean shrinking = width < rgb.cols() || height < rgb.rows();
        resize(rgb, out, new Size(width, height), 0, 0, shrinking ? INTER_AREA : INTER_LINEAR);
        return out;
    }

    /** HWC bytes to CHW floats: (v / 255 - mean) / std, each step rounded to float32 as torch does. */
    static float[] normalise(Picture view, float[] mean, float[] std) {
        byte[] rgb = view.toRgbBytes();
        int plane = view.width() * view.height();
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                float scaled = (rgb[i * 3 + c] & 0xff) / 255f;
                out[c * plane + i] = (scaled - mean[c]) / std[c];
            }
        }
        return out;
    }
}
