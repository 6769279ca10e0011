/**
 * Models saliency4j builds and ships: architectures written from Java with torchvision's state-dict names (the
 * DenseNets), the demo network and its synthetic shapes task, and the built-in models the commands name
 * ({@code demo}, {@code densenet121}, ...). May import: the core's API, and {@code models.torch} to write them.
 */
package org.saliency4j.models;
