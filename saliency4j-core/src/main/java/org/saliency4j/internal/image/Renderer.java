package org.saliency4j.internal.image;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import org.saliency4j.internal.Adopted;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_core.hconcat;
import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TOZERO;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TRUNC;
import static org.bytedeco.opencv.global.opencv_imgproc.applyColorMap;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.saliency4j.ColorMap;
import org.saliency4j.CropRegion;
import org.saliency4j.Geometry;
import org.saliency4j.ImageLimits;
import org.saliency4j.Picture;
import org.saliency4j.RenderKind;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.SaliencyMap;

/**
 * Draws a saliency map as a heat map, an overlay or the tutorial's three panels, with OpenCV. Every rendering's
 * size is checked against a bound before anything is allocated: renderings are bounded like decoded images.
 */
public final class Renderer {
    private Renderer() {
    }

    /**
     * @param image    the image's name, for the message when the rendering would exceed its bound
     * @param map      the normalised map over the model input; values outside [0, 1] are clipped
     * @param view     the model input before normalisation
     * @param original the original image, for {@link org.saliency4j.Geometry#ORIGINAL}
     * @param region   where the model input lies in the original image
     * @throws SaliencyException naming the image when the rendering would exceed {@link #renderLimit}
     */
    public static Picture render(String image, SaliencyMap map, Picture view, Picture original, CropRegion region,
                                 RenderOptions options) {
        return render(image, map, view, original, region, options, renderLimit(original));
    }

    /**
     * The most pixels a rendering from {@code original} may have: as many as the image (which the decoding
     * limits admitted) or the default image limit, whichever is larger. Overlays and heat maps of any admitted
     * image fit; three panels over the original fit for images up to a third of the bound.
     */
    static long renderLimit(Picture original) {
        return Math.max(ImageLimits.defaults().maxPixels(), (long) original.width() * original.height());
    }

    static Picture render(String image, SaliencyMap map, Picture view, Picture original, CropRegion region,
                          RenderOptions options, long maxPixels) {
        Picture base = options.geometry() == Geometry.ORIGINAL ? original : view;
        long width = (long) base.width() * (options.kind() == RenderKind.PANEL ? 3 : 1);
        if (exceeds(width, base.height(), maxPixels)) {
            throw new SaliencyException(SaliencyException.Kind.IMAGE_TOO_LARGE, image, "the "
                    + options.kind().name().toLowerCase(Locale.ROOT) + " rendering over the "
                    + options.geometry().name().toLowerCase(Locale.ROOT) + " would be " + width + "x" + base.height()
                    + " = " + width * base.height() + " pixels, more than the limit of " + Math.min(maxPixels,
                    Picture.MAX_PIXELS) + " (render over the crop, or as an overlay)");
        }
        try (PointerScope scope = new PointerScope()) {
            Mat values = clip(Mats.floats(map.toArray(), 0, map.height(), map.width()));
            Mat background;
            Mat seen = null;
            if (options.geometry() == Geometry.ORIGINAL) {
                background = Mats.rgb(original);
                Mat placement = placement(map.width(), map.height(), region);
                Size size = new Size(original.width(), original.height());
                values = warp(values, placement, size);
                seen = warp(new Mat(map.height(), map.width(), CV_32F, Scalar.all(1)), placement, size);
            } else {
                background = Mats.rgb(view);
            }
            Mat out = switch (options.kind()) {
                case HEATMAP -> heat(values, options.colorMap());
                case OVERLAY -> overlay(values, background, seen, options);
                case PANEL -> panel(values, background, PanelWindow.of(options, map), options);
            };
            return Mats.picture(out);
        }
    }

    /**
     * The largest factor, at least 1, by which {@link #enlarge} may enlarge the picture within {@code maxPixels}
     * (and within what a picture can hold); 1, the picture itself, is always allowed.
     */
    public static int largestZoom(Picture picture, long maxPixels) {
        long pixels = (long) picture.width() * picture.height();
        long zoom = Math.max(1, (long) Math.sqrt((double) Math.min(maxPixels, Picture.MAX_PIXELS) / pixels));
        // The square root in double may be one off either way; settle it exactly.
        while (zoom > 1 && exceeds((long) picture.width() * zoom, (long) picture.height() * zoom, maxPixels)) {
            zoom--;
        }
        while (zoom < Integer.MAX_VALUE
                && !exceeds((long) picture.width() * (zoom + 1), (long) picture.height() * (zoom + 1), maxPixels)) {
            zoom++;
        }
        return (int) zoom;
    }

    /**
     * The picture enlarged {@code factor} times with nearest-neighbour sampling, so small maps stay crisp.
     *
     * @throws IllegalArgumentException when {@code factor} exceeds {@link #largestZoom} for {@code maxPixels}
     */
    public static Picture enlarge(Picture picture, int factor, long maxPixels) {
        if (factor == 1) {
            return picture;
        }
        if (factor < 1 || factor > largestZoom(picture, maxPixels)) {
            throw new IllegalArgumentException("enlarging a " + picture.width() + "x" + picture.height()
                    + " picture " + factor + " times exceeds " + maxPixels + " pixels");
        }
        try (PointerScope scope = new PointerScope()) {
            Mat out = new Mat();
            opencv_imgproc.resize(Mats.rgb(picture), out, new Size(picture.width() * factor, picture.height() * factor),
                    0, 0, opencv_imgproc.INTER_NEAREST);
            return Mats.picture(out);
        }
    }

    /** Whether width x height exceeds {@code maxPixels} or what a picture can hold, without overflowing. */
    private static boolean exceeds(long width, long height, long maxPixels) {
        long limit = Math.min(maxPixels, Picture.MAX_PIXELS);
        return width > limit || height > limit || width > limit / height;
    }

    /** Each colour map's table, made once: the kernel reads it on every call. */
    private static final Map<ColorMap, byte[]> COLOR_TABLES = colorTables();

    private static Map<ColorMap, byte[]> colorTables() {
        Map<ColorMap, byte[]> tables = new EnumMap<>(ColorMap.class);
        for (ColorMap map : ColorMap.values()) {
            tables.put(map, colorTable(map));
        }
        return tables;
    }

    /** Whether {@link #fusedOverlay} runs the native kernel here (else it is not to be called). */
    public static boolean fusedAvailable() {
        return FusedOverlay.AVAILABLE;
    }

    /**
     * The overlay of a map over the model input, in one native pass: the same bytes as {@link #render} with an
     * overlay over the crop (tested), faster (benchmarked in benchmarks/jmh).
     *
     * @param map the map over the view, as {@link MapBuilder#build} made it
     */
    public static Picture fusedOverlay(SaliencyMap map, Picture view, RenderOptions options) {
        if (!FusedOverlay.AVAILABLE) {
            throw new IllegalStateException("the native overlay kernel is not available on this machine");
        }
        int pixels = view.width() * view.height();
        byte[] out = new byte[pixels * 3];
        if (map.width() != view.width() || map.height() != view.height()) {
            throw new IllegalArgumentException("a " + map.width() + "x" + map.height() + " map over a "
                    + view.width() + "x" + view.height() + " view");
        }
        FusedOverlay.overlay(map.toArray(), view.height(), view.width(), view.toRgbBytes(),
                COLOR_TABLES.get(options.colorMap()), (float) options.alpha(), (float) (1 - options.alpha()), out);
        return Adopted.picture(view.width(), view.height(), out);
    }

    /** The colour map's 256 colours, RGB, as {@link #heat} paints the values 0/255 to 255/255. */
    public static byte[] colorTable(ColorMap colorMap) {
        try (PointerScope scope = new PointerScope()) {
            float[] ramp = new float[256];
            for (int i = 0; i < ramp.length; i++) {
                ramp[i] = i / 255f;
            }
            return Mats.picture(heat(Mats.floats(ramp, 0, 1, 256), colorMap)).toRgbBytes();
        }
    }

    /** The colour-mapped map, 8-bit RGB. Values are expected in [0, 1]. */
    static Mat heat(Mat values, ColorMap colorMap) {
        Mat bytes = new Mat();
        values.convertTo(bytes, CV_8U, 255.0, 0);
        Mat rgb = new Mat();
        if (colorMap == ColorMap.GRAY) {
            cvtColor(bytes, rgb, COLOR_GRAY2RGB);
        } else {
            Mat bgr = new Mat();
            applyColorMap(bytes, bgr, openCvCode(colorMap));
            cvtColor(bgr, rgb, COLOR_BGR2RGB);
        }
        return rgb;
    }

    private static Mat overlay(Mat values, Mat background, Mat seen, RenderOptions options) {
        Mat blended = new Mat();
        addWeighted(background, 1 - options.alpha(), heat(values, options.colorMap()), options.alpha(), 0, blended);
        if (seen == null) {
            return blended;
        }
        // Where the model saw nothing (outside the crop) the original stays as it is.
        Mat unseen = new Mat();
        threshold(seen, unseen, 0.0, 255, opencv_imgproc.THRESH_BINARY_INV);
        Mat mask = new Mat();
        unseen.convertTo(mask, CV_8U);
        background.copyTo(blended, mask);
        return blended;
    }

    /** The tutorial's panels: the map in a contrast window, the input, and map * mix + input / mix. */
    private static Mat panel(Mat values, Mat background, PanelWindow window, RenderOptions options) {
        Mat windowed = new Mat();
        double range = window.high() - window.low();
        values.convertTo(windowed, CV_32F, 1.0 / range, -window.low() / range);
        Mat first = heat(clip(windowed), options.colorMap());

        Mat input = new Mat();
        background.convertTo(input, CV_32FC3, 1.0 / (255.0 * options.mix()), 0);
        Mat scaledMap = new Mat();
        values.convertTo(scaledMap, CV_32F, options.mix(), 0);
        Mat mapRgb = new Mat();
        merge(new MatVector(scaledMap, scaledMap, scaledMap), mapRgb);
        Mat sum = new Mat();
        add(mapRgb, input, sum);
        Mat third = new Mat();
        clip(sum).convertTo(third, CV_8UC3, 255.0, 0);

        Mat out = new Mat();
        hconcat(new MatVector(first, background, third), out);
        return out;
    }

    /** Values clipped to [0, 1], in place on a copy. */
    private static Mat clip(Mat values) {
        Mat out = new Mat();
        threshold(values, out, 1.0, 0, THRESH_TRUNC);
        threshold(out, out, 0.0, 0, THRESH_TOZERO);
        return out;
    }

    /**
     * The affine map from model-input pixels to original pixels, pixel centres aligned:
     * x' + 0.5 = (x + 0.5) * sx + region.x.
     */
    private static Mat placement(int width, int height, CropRegion region) {
        double sx = region.width() / width;
        double sy = region.height() / height;
        Mat m = new Mat(2, 3, CV_64F);
        DoubleIndexer idx = m.createIndexer();
        idx.put(0, 0, sx).put(0, 1, 0).put(0, 2, region.x() + 0.5 * sx - 0.5);
        idx.put(1, 0, 0).put(1, 1, sy).put(1, 2, region.y() + 0.5 * sy - 0.5);
        idx.close();
        return m;
    }

    private static Mat warp(Mat values, Mat placement, Size size) {
        Mat out = new Mat();
        warpAffine(values, out, placement, size, INTER_LINEAR, BORDER_CONSTANT, Scalar.all(0));
        return out;
    }

    private static int openCvCode(ColorMap colorMap) {
        return switch (colorMap) {
            case GRAY -> throw new IllegalArgumentException("grey needs no colour map");
            case JET -> opencv_imgproc.COLORMAP_JET;
            case TURBO -> opencv_imgproc.COLORMAP_TURBO;
            case INFERNO -> opencv_imgproc.COLORMAP_INFERNO;
            case VIRIDIS -> opencv_imgproc.COLORMAP_VIRIDIS;
            case MAGMA -> opencv_imgproc.COLORMAP_MAGMA;
            case PLASMA -> opencv_imgproc.COLORMAP_PLASMA;
            case CIVIDIS -> opencv_imgproc.COLORMAP_CIVIDIS;
            case HOT -> opencv_imgproc.COLORMAP_HOT;
            case BONE -> opencv_imgproc.COLORMAP_BONE;
            case PARULA -> opencv_imgproc.COLORMAP_PARULA;
            case RAINBOW -> opencv_imgproc.COLORMAP_RAINBOW;
            case HSV -> opencv_imgproc.COLORMAP_HSV;
            case OCEAN -> opencv_imgproc.COLORMAP_OCEAN;
            case COOL -> opencv_imgproc.COLORMAP_COOL;
            case TWILIGHT -> opencv_imgproc.COLORMAP_TWILIGHT;
            case DEEPGREEN -> opencv_imgproc.COLORMAP_DEEPGREEN;
        };
    }
}
