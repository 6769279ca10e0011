package org.saliency4j.internal.torch;

/** Picks the class to explain for one image of a batch, once its probabilities are known. */
@FunctionalInterface
public interface TargetChooser {
    int choose(int image, float[] probabilities);
}
