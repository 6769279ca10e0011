package org.saliency4j.explain;

import java.util.List;
import org.saliency4j.CropRegion;
import org.saliency4j.FloatTensor;
import org.saliency4j.Geometry;
import org.saliency4j.ModelInfo;
import org.saliency4j.Picture;
import org.saliency4j.Prediction;
import org.saliency4j.RenderKind;
import org.saliency4j.RenderOptions;
import org.saliency4j.SaliencyMap;
import org.saliency4j.TargetScore;
import org.saliency4j.Timings;
import org.saliency4j.internal.image.Renderer;
import org.saliency4j.method.Method;

/**
 * The immutable result of explaining one image: what the model predicted, which class was explained with which
 * score, the raw gradient, the exact input tensor, the 2-D saliency map, and renderings on request.
 */
public final class Explanation {
    private final String image;
    private final ModelInfo model;
    private final Method method;
    private final List<Prediction> predictions;
    private final TargetScore target;
    private final FloatTensor input;
    private final FloatTensor gradient;
    private final FloatTensor attribution;
    private final double convergenceDelta;
    private final int integrationSteps;
    private final SaliencyMap map;
    private final Picture view;
    private final Picture original;
    private final CropRegion region;
    private final Timings timings;

    Explanation(String image, ModelInfo model, Method method, List<Prediction> predictions, TargetScore target,
                FloatTensor input, FloatTensor gradient, FloatTensor attribution, double convergenceDelta,
                int integrationSteps, SaliencyMap map, Picture view, Picture original, CropRegion region,
                Timings timings) {
        this.image = image;
        this.model = model;
        this.method = method;
        this.attribution = attribution;
        this.convergenceDelta = convergenceDelta;
        this.integrationSteps = integrationSteps;
        this.predictions = List.copyOf(predictions);
        this.target = target;
        this.input = input;
        this.gradient = gradient;
        this.map = map;
        this.view = view;
        this.original = original;
        this.region = region;
        this.timings = timings;
    }

    /** The image's name: its file, or the name given with its bytes. */
    public String image() {
        return image;
    }

    public ModelInfo model() {
        return model;
    }

    /** The top-k classes, most probable first. */
    public List<Prediction> predictions() {
        return predictions;
    }

    public TargetScore target() {
        return target;
    }

    /** The exact tensor fed to the model, shape (3, H, W). */
    public FloatTensor input() {
        return input;
    }

    /** The gradient of the target's score w.r.t. the model input, shape (3, H, W). */
    public FloatTensor gradient() {
        return gradient;
    }

    /** The method that made the attribution. */
    public Method method() {
        return method;
    }

    /** The method's attribution w.r.t. the model input, shape (3, H, W); for vanilla, the gradient itself. */
    public FloatTensor attribution() {
        return attribution;
    }

    /**
     * For integrated gradients, the attributions' sum minus (score(input) - score(baseline)): near zero when the
     * integral converged. NaN for other methods.
     */
    public double convergenceDelta() {
        return convergenceDelta;
    }

    /**
     * For integrated gradients, the steps the path integral took: the fixed count, or the one {@code steps=auto}
     * settled on. 0 for other methods (a noise tunnel's copies may each take their own).
     */
    public int integrationSteps() {
        return integrationSteps;
    }

    /** The reduced and normalised 2-D map of the attribution, before colouring. */
    public SaliencyMap map() {
        return map;
    }

    /** The model input before normalisation, as 8-bit RGB. */
    public Picture view() {
        return view;
    }

    /** The decoded original image (EXIF orientation applied). */
    public Picture original() {
        return original;
    }

    /** Where the model input lies in the original image. */
    public CropRegion region() {
        return region;
    }

    public Timings timings() {
        return timings;
    }

    /**
     * Draws the map as the options say. An overlay on the model input takes the native kernel's single pass over
     * the map where it is available: the same bytes as the OpenCV path.
     */
    public Picture render(RenderOptions options) {
        if (options.kind() == RenderKind.OVERLAY && options.geometry() == Geometry.CROP && Renderer.fusedAvailable()) {
            return Renderer.fusedOverlay(map, view, options);
        }
        return Renderer.render(image, map, view, original, region, options);
    }
}
