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
 * @param batch      the most inputs (images, targets, noisy copies, path points) sent through the model at once,
 *                   1 to 4096: bounds memory, not results; {@link SaliencyModel#explainBatch(java.util.List,
 *                   ExplainRequest, int, Cancellation)} takes its own
 */
public record ModelOptions(String device, int threads, int inputSize, int warmupRuns, ClassLabels labels,
                           ImageLimits limits, String name, int batch) {
    /** The batch size when none is given. */
    public static final int DEFAULT_BATCH = 16;
    private static final int MAX_BATCH = 4096;

    public ModelOptions {
        if (device == null || device.isBlank()) {
            throw Options.invalid("device", "is empty (expected auto, cpu, cuda or cuda:N)");
        }
        if (threads < 0) {
            throw Options.invalid("threads", "must not be negative, got " + threads);
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
        checkBatch(batch);
    }

    static void checkBatch(int batch) {
        if (batch < 1 || batch > MAX_BATCH) {
            throw Options.invalid("batch", "must be between 1 and " + MAX_BATCH + ", got " + batch);
        }
    }

    /**
     * Device auto, libtorch's threads, the card's input size (else 224), three warm-up passes, default limits,
     * batches of 16.
     */
    public static ModelOptions defaults() {
        return new ModelOptions("auto", 0, 0, 3, null, ImageLimits.defaults(), null, DEFAULT_BATCH);
    }

    public ModelOptions withDevice(String value) {
        return new ModelOptions(value, threads, inputSize, warmupRuns, labels, limits, name, batch);
    }

    public ModelOptions withThreads(int value) {
        return new ModelOptions(device, value, inputSize, warmupRuns, labels, limits, name, batch);
    }

    public ModelOptions withInputSize(int value) {
        return new ModelOptions(device, threads, value, warmupRuns, labels, limits, name, batch);
    }

    public ModelOptions withWarmupRuns(int value) {
        return new ModelOptions(device, threads, inputSize, value, labels, limits, name, batch);
    }

    public ModelOptions withLabels(ClassLabels value) {
        return new ModelOptions(device, threads, inputSize, warmupRuns, value, limits, name, batch);
    }

    public ModelOptions withLimits(ImageLimits value) {
        return new ModelOptions(device, threads, inputSize, warmupRuns, labels, value, name, batch);
    }

    public ModelOptions withName(String value) {
        return new ModelOptions(device, threads, inputSize, warmupRuns, labels, limits, value, batch);
    }

    public ModelOptions withBatch(int value) {
        return new ModelOptions(device, threads, inputSize, warmupRuns, labels, limits, name, value);
    }
}
