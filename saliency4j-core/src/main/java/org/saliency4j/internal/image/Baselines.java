package org.saliency4j.internal.image;

import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.saliency4j.Baseline;
import org.saliency4j.ImageInput;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;

/** Makes integrated gradients' baseline for one image, as a normalised model input. */
public final class Baselines {
    /** The blur's sigma as a fraction of the input's side: detail goes, the layout of colours stays. */
    private static final double BLUR_FRACTION = 1.0 / 20;

    private Baselines() {
    }

    /**
     * @param view the image as the model sees it, before normalisation
     */
    public static float[] make(Baseline baseline, Picture view, Preprocessing p, ImageDecoder decoder) {
        int size = p.size();
        return switch (baseline.kind()) {
            case ZERO -> new float[3 * size * size];
            case BLACK -> Preprocessor.normalise(new Picture(size, size, new byte[3 * size * size]), p.mean(), p.std());
            case BLUR -> Preprocessor.normalise(blur(view, size * BLUR_FRACTION), p.mean(), p.std());
            case UNIFORM -> {
                byte[] pixels = new byte[3 * size * size];
                new Random(baseline.seed()).nextBytes(pixels);
                yield Preprocessor.normalise(new Picture(size, size, pixels), p.mean(), p.std());
            }
            case FILE -> Preprocessor.prepare(decoder.decode(ImageInput.file(baseline.file())), p).tensor();
        };
    }

    private static Picture blur(Picture view, double sigma) {
        try (PointerScope scope = new PointerScope()) {
            Mat out = new Mat();
            GaussianBlur(Mats.rgb(view), out, new Size(0, 0), sigma);
            return Mats.picture(out);
        }
    }
}
