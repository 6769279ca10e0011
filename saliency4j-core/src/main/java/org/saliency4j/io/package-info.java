/**
 * Writing results: NumPy {@code .npy} arrays, an explanation as one JSON record, and files written atomically
 * (whole or not at all, never over another). May import: the JDK, Jackson, and {@code org.saliency4j}'s types.
 */
package org.saliency4j.io;
