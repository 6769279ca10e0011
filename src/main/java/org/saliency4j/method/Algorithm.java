package org.saliency4j.method;

/** One method's computation, given the model through a {@link Pass}. */
interface Algorithm {

    /** The attribution of each of n inputs on its own, (n, channels, H, W): what a noise tunnel asks of its base. */
    float[] at(float[] inputs, int n, Pass pass);

    /** How many inputs {@link #at} takes at once: a batch, unless the method batches its own inputs. */
    default int copiesAtOnce(Pass pass) {
        return pass.batch;
    }

    /** The attribution of the explained input, whose first pass is known. */
    default Attributions.Result atInput(Attributions.Input input, Pass pass) {
        return new Attributions.Result(at(input.values(), 1, pass), Double.NaN);
    }
}
