package org.saliency4j.internal.image;

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
        // In long: a thin image's longer side overflows int (1,000,000 x 1 becomes 256,000,000 x 256), and only
        // the crop's window of it is ever computed.
        boolean wide = w >= h;
        int shorter = wide ? h : w;
        long newLonger = (long) p.resize() * (wide ? w : h) / shorter;
        long newW = wide ? newLonger : p.resize();
        long newH = wide ? p.resize() : newLonger;
        // torchvision's CenterCrop rounds half to even (Python's round); exact in double for any long here.
        long top = (long) Math.rint((newH - p.size()) / 2.0);
        long left = (long) Math.rint((newW - p.size()) / 2.0);
        Picture view = PilResize.resize(image, newW, newH, left, top, p.size(), p.size());
        double sx = (double) w / newW;
        double sy = (double) h / newH;
        CropRegion region = new CropRegion(left * sx, top * sy, p.size() * sx, p.size() * sy);
        return new ModelInput(normalise(view, p.mean(), p.std()), view, region);
    }

    /**
     * HWC bytes to CHW floats: (v / 255 - mean) / std, each step rounded to float32 as torch does. A value depends
     * only on the byte and the channel, so the 3 x 256 results are computed once per call and looked up.
     */
    static float[] normalise(Picture view, float[] mean, float[] std) {
        float[] table = new float[3 * 256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                float scaled = v / 255f;
                table[c * 256 + v] = (scaled - mean[c]) / std[c];
            }
        }
        byte[] rgb = view.toRgbBytes();
        int plane = view.width() * view.height();
        float[] out = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            int offset = c * 256;
            int base = c * plane;
            for (int i = 0; i < plane; i++) {
                out[base + i] = table[offset + (rgb[i * 3 + c] & 0xff)];
            }
        }
        return out;
    }
}
