package org.saliency4j.models;

/**
 * Where an architecture's tensors get their values when they do not come from its random initialisation: a
 * weights file read from disk, or a formula in a test. Asked once per state-dict entry, by its dotted name and
 * shape, in state-dict order, while the model is written (an {@link Architecture#spec(WeightSource)} asks nothing
 * until then; its {@code stateDictShapes()} lists every name and shape that will be asked for, free of cost, for
 * checking a file against before writing). BatchNorm's int64 {@code num_batches_tracked} counters are asked too,
 * with shape {@code []}; their value is not used.
 */
@FunctionalInterface
public interface WeightSource {
    /**
     * The values of the entry {@code name}, flat in C order: as many as the product of {@code shape}.
     *
     * @throws org.saliency4j.SaliencyException when the source has no such entry or a different shape
     */
    float[] values(String name, int[] shape);
}
