package org.saliency4j.method;

/**
 * A class activation map whose channel weights come from the model's scores, forward only, with each of the layer's
 * channels in turn used as a mask on the input (Score-CAM) or zeroed in the layer (Ablation-CAM): no gradient enters
 * the map, and it costs one forward pass per channel after the first pass, which gives the layer's output.
 */
public sealed interface ChannelScoredMap extends LayerMethod permits ScoreCam, AblationCam {

    /** One pass per channel of the layer: a layer of fewer channels. */
    @Override
    default String cheaper() {
        return "choose a layer of fewer channels (" + MethodParameters.LAYER.name() + ")";
    }

    /** The first pass, then one image per channel of the layer. */
    @Override
    default long passes(Workload workload) {
        return 1 + (long) workload.layerChannels();
    }

    /** The layer at the copy (a forward and a backward pass), then one image per channel. */
    @Override
    default long passesPerCopy(Workload workload) {
        return 1 + (long) workload.layerChannels();
    }

    @Override
    default int channels() {
        return 1;
    }
}
