/**
 * The public API of saliency4j: load a TorchScript classifier ({@link org.saliency4j.SaliencyModel}), explain images
 * ({@link org.saliency4j.ExplainRequest}, {@link org.saliency4j.Explanation}), render and encode the maps. Every type
 * here speaks Java types only: no JavaCPP type appears in a signature, and every native object a call makes is freed
 * by that call (a model's own, by {@link org.saliency4j.SaliencyModel#close()}).
 *
 * <p>Owns: the request and result types, the options and their validation, the errors
 * ({@link org.saliency4j.SaliencyException}, which names the input or the parameter). May import: the JDK, SLF4J's
 * API, and, for the model's work, {@code method}, {@code torch} and {@code image}. Must not import the models,
 * server or command-line modules.
 */
package org.saliency4j;
