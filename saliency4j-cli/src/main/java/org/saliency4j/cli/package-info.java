/**
 * The command line ({@code bin/saliency4j}): picocli commands {@code explain}, {@code serve}, {@code model build},
 * {@code model layers}, {@code eval pointing-game}, {@code eval sanity} and {@code bench}, their option mixins,
 * output naming and guarding, the workers that explain a folder's images at once in its order, and progress bars. The application's end: it may import every module, and it alone
 * brings a logging binding.
 */
package org.saliency4j.cli;
