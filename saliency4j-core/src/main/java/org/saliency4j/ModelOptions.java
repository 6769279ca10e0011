package org.saliency4j;

/**
 * How a model is loaded.
 *
 * @param device     {@code auto} (CUDA when available), {@code cpu}, {@code cuda} or {@code cuda:N}
 * @param threads    libtorch's intra-op threads, a process-wide setting; 0: one on machines of up to two cores
 *                   (measured faster there), else libtorch's default
 * @param inputSize  the side of the square input used to check the model at load and warm it up; 0 takes it from
 *                   the model card, else 224
 * @param warmupRuns forward+backward passes paid at load (TorchScript's profiling executor makes the first
 *                   calls slow)
 * @param labels     class names; null means the model card's, else ImageNet's for 1000 classes, else indices
 * @param limits     bounds on the images this model is asked to explain
 * @param name       what {@link ModelInfo#name()} calls the model; null for its file's path (the commands pass
 *                   what the user typed, so a built-in model is called {@code demo}, not its temporary file)
 */
public record ModelOptions(String device, int threads, int inputSize, int warmupRuns, ClassLabels labels,
                           ImageLimits limits, String name) {

    public ModelOptions {
        if (device == null || device.isBlank()) {
            throw Vocabulary.DEVICE.invalid("is empty (expected auto, cpu, cuda or cuda:N)");
        }
        Vocabulary.THREADS.check(threads);
        if (inputSize != 0) {
            Vocabulary.INPUT_SIZE.check(inputSize);
        }
        Vocabulary.WARMUP.check(warmupRuns);
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
    }

    /**
     * From the {@link Vocabulary}: device auto, libtorch's threads, three warm-up passes; the card's input size
     * (else 224), default limits.
     */
    public static ModelOptions defaults() {
        return new ModelOptions(Vocabulary.DEVICE.defaultValue(), Vocabulary.THREADS.defaultValue(), 0,
                Vocabulary.WARMUP.defaultValue(), null, ImageLimits.defaults(), null);
    }

    public ModelOptions withDevice(String value) {
        return new ModelOptions(value, threads, inputSize, warmupRuns, labels, limits, name);
    }

    public ModelOptions withThreads(int value) {
        return new ModelOptions(device, value, inputSize, warmupRuns, labels, limits, name);
    }

    public ModelOptions withInputSize(int value) {
        return new ModelOptions(device, threads, value, warmupRuns, labels, limits, name);
    }

    public ModelOptions withWarmupRuns(int value) {
        return new ModelOptions(device, threads, inputSize, value, labels, limits, name);
    }

    public ModelOptions withLabels(ClassLabels value) {
        return new ModelOptions(device, threads, inputSize, warmupRuns, value, limits, name);
    }

    public ModelOptions withLimits(ImageLimits value) {
        return new ModelOptions(device, threads, inputSize, warmupRuns, labels, value, name);
    }

    public ModelOptions withName(String value) {
        return new ModelOptions(device, threads, inputSize, warmupRuns, labels, limits, value);
    }
}
