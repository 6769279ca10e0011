package org.saliency4j.method;

/** One method's computation, given the model through a {@link Context}. */
interface Algorithm {

    /** The attribution of each of n inputs on its own, (n, channels, H, W): what a noise tunnel asks of its base. */
    float[] at(float[] inputs, int n, Context context);

    /** How many inputs {@link #at} takes at once: a batch, unless the method batches its own inputs. */
    default int copiesAtOnce(Context context) {
        return context.batch;
    }

    /** The attribution of the explained input, whose first pass is known. */
    default Attributions.Result atInput(Attributions.Input input, Context context) {
        return new Attributions.Result(at(input.values(), 1, context), Double.NaN);
    }
}
