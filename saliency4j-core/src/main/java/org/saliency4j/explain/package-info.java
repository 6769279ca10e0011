/**
 * Where a user starts: load a TorchScript classifier ({@link org.saliency4j.explain.SaliencyModel}), explain images
 * with a request ({@link org.saliency4j.explain.ExplainRequest}) and render the result
 * ({@link org.saliency4j.explain.Explanation}); set libtorch's process-wide settings once at start-up
 * ({@link org.saliency4j.explain.Engine}). A request travels one way: decode, preprocess, the method (which calls
 * the engine through the interfaces in {@code method}), the map, the explanation. No JavaCPP type appears in a
 * signature, and every native object a call makes is freed by that call (a model's own, by
 * {@link org.saliency4j.explain.SaliencyModel#close()}).
 *
 * <p>The top of the core: it may import {@code org.saliency4j}'s values, {@code method}, {@code internal.torch},
 * {@code internal.image}, the JDK and SLF4J's API; nothing in the core imports it but {@code io} (which writes an
 * explanation). Must not import the models, server or command-line modules.
 */
package org.saliency4j.explain;

