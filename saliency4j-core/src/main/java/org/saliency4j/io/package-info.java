/**
 * Writing results: pictures encoded as PNG or JPEG, NumPy {@code .npy} arrays, an explanation as one JSON record,
 * and files written atomically (whole or not at all, never over another). May import: the JDK, Jackson,
 * {@code org.saliency4j}'s values, {@code explain}'s results, and {@code internal.image} for the codecs.
 */
package org.saliency4j.io;
