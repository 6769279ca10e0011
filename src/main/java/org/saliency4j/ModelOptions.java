package org.saliency4j;

/**
 * How a model is loaded. Process-wide libtorch settings (intra-op threads, TF32) are not options of a model: see
 * {@link Engine#configure}.
 *
 * @param device     {@code auto} (CUDA when available), {@code cpu}, {@code cuda} or {@code cuda:N}
 * @param inputSize  the side of the square input used to check the model at load and warm it up; 0 takes it from
 *                   the model card, else 224
 * @param warmupRuns forward+backward passes paid at load (TorchScript's profiling executor makes the first
 *                   calls slow)
 * @param labels     class names; null means the model card's, else ImageNet's for 1000 classes, else indices
 * @param limits     bounds on the images this model is asked to explain
 * @param name       what {@link ModelInfo#name()} calls the model; null for its file's path (the commands pass
 *                   what the user typed, so a built-in model is called {@code demo}, not its temporary file)
 */
public record ModelOptions(String device, int inputSize, int warmupRuns, ClassLabels labels,
                           ImageLimits limits, String name) {

    public ModelOptions {
        if (device == null || device.isBlank()) {
            throw Options.invalid("device", "is empty (expected auto, cpu, cuda or cuda:N)");
        }
        if (inputSize != 0 && (inputSize < 8 || inputSize > 4096)) {
            throw Options.invalid("input-size", "must be between 8 and 4096, got " + inputSize);
        }
        if (warmupRuns < 0) {
            throw Options.invalid("warmup", "must not be negative, got " + warmupRuns);
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
    }

    /** Device auto, the card's input size (else 224), three warm-up passes, default limits. */
    public static ModelOptions defaults() {
        return new ModelOptions("auto", 0, 3, null, ImageLimits.defaults(), null);
    }

    public ModelOptions withDevice(String value) {
        return new ModelOptions(value, inputSize, warmupRuns, labels, limits, name);
    }

    public ModelOptions withInputSize(int value) {
        return new ModelOptions(device, value, warmupRuns, labels, limits, name);
    }

    public ModelOptions withWarmupRuns(int value) {
        return new ModelOptions(device, inputSize, value, labels, limits, name);
    }

    public ModelOptions withLabels(ClassLabels value) {
        return new ModelOptions(device, inputSize, warmupRuns, value, limits, name);
    }

    public ModelOptions withLimits(ImageLimits value) {
        return new ModelOptions(device, inputSize, warmupRuns, labels, value, name);
    }

    public ModelOptions withName(String value) {
        return new ModelOptions(device, inputSize, warmupRuns, labels, limits, value);
    }
}
