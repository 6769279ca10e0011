package org.saliency4j;

/**
 * Where the time of one explanation went, in milliseconds.
 *
 * @param decodeMs      reading and decoding the image
 * @param preprocessMs  resizing, cropping and normalising
 * @param firstPassMs   the model's first forward and backward pass and copying its gradient to the host; in a
 *                      batch, the whole batch's pass, which every image in it reports
 * @param attributionMs the method's own work after the first pass: its extra passes (integrated gradients'
 *                      steps, a noise tunnel's samples, guided Grad-CAM's guided pass) and their arithmetic; for
 *                      vanilla gradients no pass, only copies of the first pass's gradient
 * @param mapMs         reducing and normalising the map
 * @param totalMs       the whole call
 */
public record Timings(double decodeMs, double preprocessMs, double firstPassMs, double attributionMs, double mapMs,
                      double totalMs) {
}
