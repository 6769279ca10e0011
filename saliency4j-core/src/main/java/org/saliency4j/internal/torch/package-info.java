/**
 * The engine: the only code of the core that drives libtorch ({@code org.bytedeco.pytorch}). It loads a TorchScript
 * classifier, runs batches forward and backward, and hands back plain Java arrays: probabilities, scores, input
 * gradients, a layer's output and gradient, or several layers' as they are (every attention layer of a vision
 * transformer), under a chosen ReLU rule. Every tensor a call makes is freed by that
 * call's {@code PointerScope}.
 *
 * <p>Internal: the types here are public only for the other saliency4j packages and modules, and left out of the
 * Javadoc; users call {@code org.saliency4j.explain}. The engine knows nothing of requests
 * or attribution methods; it implements the small interfaces the methods call. May import: {@code org.bytedeco},
 * the JDK, SLF4J's API, and the value types and errors of {@code org.saliency4j}.
 */
package org.saliency4j.internal.torch;
