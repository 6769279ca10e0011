/**
 * Weight files read in pure Java, never running code: {@code torch.save}'s zip and legacy formats, training
 * checkpoints, and safetensors, into a {@link org.saliency4j.models.weights.StateDict} of typed tensors that keep
 * their values exactly; checked strictly against an architecture's state-dict layout and handed to it as a
 * {@link org.saliency4j.models.WeightSource}; and {@link org.saliency4j.models.weights.Pretrained}, which writes or
 * loads an architecture with a file's weights in one call. Every size a file declares is checked against the bytes
 * it holds before anything is allocated. May import: the core's API, {@code org.saliency4j.models} (the
 * architectures and their contract) and {@code models.torch} (through it); never {@code org.bytedeco}.
 */
package org.saliency4j.models.weights;
