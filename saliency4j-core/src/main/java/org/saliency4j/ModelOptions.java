package org.saliency4j;

/**
 * How a model is loaded. Process-wide libtorch settings (intra-op threads, TF32) are not options of a model: see
 * {@link org.saliency4j.explain.Engine#configure}.
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
 * @param batch      the most inputs (images, targets, noisy copies, path points) sent through the model at once:
 *                   bounds memory, not results; 0 takes the device's measured default ({@link #defaultBatch}); a
 *                   call to
 *                   {@link org.saliency4j.explain.SaliencyModel#explainBatch(java.util.List,
 *                   org.saliency4j.explain.ExplainRequest, int, Cancellation) explainBatch} takes its own
 */
public record ModelOptions(String device, int inputSize, int warmupRuns, ClassLabels labels,
                           ImageLimits limits, String name, int batch) {
    /**
     * The CPU's batch: measured on the project's 2-core machines (one intra-op thread), integrated gradients'
     * 32 points cost least per point in batches of about this size; 16 at once made them cost more than 32
     * separate gradients, each batch's activations no longer fitting the caches. See {@code bench --chunk}.
     */
    public static final int CPU_BATCH = 4;
    /** CUDA's batch: a GPU is busy only with many inputs at once. */
    public static final int CUDA_BATCH = 16;

    public ModelOptions {
        if (device == null || device.isBlank()) {
            throw Vocabulary.DEVICE.invalid("is empty (expected auto, cpu, cuda or cuda:N)");
        }
        if (inputSize != 0) {
            Vocabulary.INPUT_SIZE.check(inputSize);
        }
        Vocabulary.WARMUP.check(warmupRuns);
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
        Vocabulary.BATCH.check(batch);
    }

    /**
     * From the {@link Vocabulary}: device auto, three warm-up passes, the device's batch; the card's input size
     * (else 224), default limits.
     */
    public static ModelOptions defaults() {
        return new ModelOptions(Vocabulary.DEVICE.defaultValue(), 0, Vocabulary.WARMUP.defaultValue(), null,
                ImageLimits.defaults(), null, Vocabulary.BATCH.defaultValue());
    }

    /**
     * The batch a model on {@code device} (as {@link ModelInfo#device()} names it: {@code cpu}, {@code cuda:0})
     * runs when its options leave it at 0: {@value #CUDA_BATCH} on CUDA, {@value #CPU_BATCH} elsewhere.
     */
    public static int defaultBatch(String device) {
        return device.startsWith("cuda") ? CUDA_BATCH : CPU_BATCH;
    }

    public ModelOptions withDevice(String value) {
        return new ModelOptions(value, inputSize, warmupRuns, labels, limits, name, batch);
    }

    public ModelOptions withInputSize(int value) {
        return new ModelOptions(device, value, warmupRuns, labels, limits, name, batch);
    }

    public ModelOptions withWarmupRuns(int value) {
        return new ModelOptions(device, inputSize, value, labels, limits, name, batch);
    }

    public ModelOptions withLabels(ClassLabels value) {
        return new ModelOptions(device, inputSize, warmupRuns, value, limits, name, batch);
    }

    public ModelOptions withLimits(ImageLimits value) {
        return new ModelOptions(device, inputSize, warmupRuns, labels, value, name, batch);
    }

    public ModelOptions withName(String value) {
        return new ModelOptions(device, inputSize, warmupRuns, labels, limits, value, batch);
    }

    public ModelOptions withBatch(int value) {
        return new ModelOptions(device, inputSize, warmupRuns, labels, limits, name, value);
    }
}
