package org.saliency4j.image;

import org.saliency4j.CropRegion;
import org.saliency4j.Picture;
import org.saliency4j.Preprocessing;

/**
 * Resizes as torchvision does on PIL images (Pillow's antialiased bilinear, see {@link PilResize}), crops the
 * centre, then scales and normalises as torchvision's {@code ToTensor()} and {@code Normalize()} do in float32
 * ({@code x / 255}, then {@code (x - mean) / std}): the tensor PyTorch users feed their model, bit for bit.
 */
public final class Preprocessor {
    private Preprocessor() {
    }

    public static ModelInput prepare(Picture image, Preprocessing p) {
        int w = image.width();
        int h = image.height();
        if (p.mode() == Preprocessing.Mode.STRETCH) {
            Picture view = PilResize.resize(image, p.size(), p.size());
            return new ModelInput(normalise(view, p.mean(), p.std()), view, new CropRegion(0, 0, w, h));
        }
        // torchvision's Resize(int): the shorter side becomes `resize`, the longer one int(resize * long / short).
        boolean wide = w >= h;
        int shorter = wide ? h : w;
        int newLonger = (int) ((long) p.resize() * (wide ? w : h) / shorter);
        int newW = wide ? newLonger : p.resize();
        int newH = wide ? p.resize() : newLonger;
        Picture resized = PilResize.resize(image, newW, newH);
        // torchvision's CenterCrop rounds half to even (Python's round).
        int top = (int) Math.rint((newH - p.size()) / 2.0);
        int left = (int) Math.rint((newW - p.size()) / 2.0);
        Picture view = crop(resized, left, top, p.size());
        double sx = (double) w / newW;
        double sy = (double) h / newH;
        CropRegion region = new CropRegion(left * sx, top * sy, p.size() * sx, p.size() * sy);
        return new ModelInput(normalise(view, p.mean(), p.std()), view, region);
    }

    private static Picture crop(Picture image, int left, int top, int size) {
        byte[] source = image.toRgbBytes();
        byte[] out = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            System.arraycopy(source, ((top + y) * image.width() + left) * 3, out, y * size * 3, size * 3);
        }
        return new Picture(size, size, out);
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
