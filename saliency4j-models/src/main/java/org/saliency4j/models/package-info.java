/**
 * Models saliency4j builds and ships: architectures written from Java with torchvision's state-dict names and
 * eval-mode numerics (DenseNets, ResNets, MobileNetV3, EfficientNet-B0, ConvNeXt-Tiny, ViT-B/16), by name in
 * {@link org.saliency4j.models.Architectures}, whose values come from torchvision's random initialisation or a
 * {@link org.saliency4j.models.WeightSource} (the contract with the weight files); the demo network and its
 * synthetic shapes task; and the built-in models the commands name ({@code demo}, {@code resnet50}, ...).
 * May import: the core's API, and {@code models.torch} to write them; never {@code models.weights}, which builds on
 * this package.
 */
package org.saliency4j.models;
