package org.saliency4j.method;

/**
 * A class activation map: a layer's output weighted per channel or per position by its gradient (or, for Eigen-CAM,
 * projected on its principal component), summed over the channels, ReLU, upsampled to the input. One plane,
 * computed from the first pass's layer output and gradient alone, so one pass for the input and one for each noisy
 * copy. The methods differ only in their rule ({@code ClassActivationMaps}), which one algorithm applies.
 */
public sealed interface ClassActivationMap extends LayerMethod permits GradCam, GradCamPlusPlus, HiResCam, XGradCam,
        LayerCam, EigenCam {

    @Override
    default long passes(Workload workload) {
        return 1;
    }

    @Override
    default long passesPerCopy(Workload workload) {
        return 1;
    }

    @Override
    default int channels() {
        return 1;
    }
}
