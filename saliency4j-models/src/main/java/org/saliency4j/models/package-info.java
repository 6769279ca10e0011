/**
 * Models saliency4j builds and ships: architectures written from Java with torchvision's state-dict names (the
 * DenseNets), the demo network and its synthetic shapes task, and the built-in models the commands name
 * ({@code demo}, {@code densenet121}, ...); the {@link org.saliency4j.models.Architecture}s a weights file fills
 * ({@link org.saliency4j.models.BuiltinModels#architectures()}) and their contract with the weight files,
 * {@link org.saliency4j.models.WeightSource}. May import: the core's API, and {@code models.torch} to write them;
 * never {@code models.weights}, which builds on this package.
 */
package org.saliency4j.models;
