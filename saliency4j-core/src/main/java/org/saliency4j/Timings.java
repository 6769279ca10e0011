package org.saliency4j;

/**
 * Where the time of one explanation went, in milliseconds.
 *
 * @param decodeMs     reading and decoding the image
 * @param preprocessMs resizing, cropping and normalising
 * @param gradientMs   forward, backward and copying the gradient to the host
 * @param mapMs        reducing and normalising the map
 * @param totalMs      the whole call
 */
public record Timings(double decodeMs, double preprocessMs, double gradientMs, double mapMs, double totalMs) {
}
