/**
 * The attribution methods, computed from gradients or, for the perturbation methods, scores at batches of
 * inputs. Methods call the engine through the small interfaces declared here, which the engine implements; they
 * never import it, and hold no native memory.
 *
 * <p>May import: the JDK and the value types and errors of {@code org.saliency4j}; never {@code org.bytedeco},
 * the engine, or image processing.
 */
package org.saliency4j.method;
