/**
 * Image processing through OpenCV ({@code org.bytedeco.opencv}): bounded header parsers that size an image before it
 * is decoded, decoding, torchvision-exact preprocessing (Pillow's antialiased resize), saliency maps from
 * attributions, colour maps, rendering and encoding, and the native overlay kernel.
 *
 * <p>Internal: the types here are public only for the other saliency4j packages and modules, and left out of the
 * Javadoc; users call {@code org.saliency4j.explain}. May import: {@code org.bytedeco}, the JDK, the value types and
 * errors of {@code org.saliency4j}, and {@code internal}'s no-copy path to pictures; never the engine, the methods
 * or a request.
 */
package org.saliency4j.internal.image;
