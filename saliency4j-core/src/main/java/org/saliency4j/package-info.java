/**
 * The values saliency4j speaks in, and nothing that does work on them: images ({@link org.saliency4j.Picture},
 * {@link org.saliency4j.ImageInput}), what a model is and how it reads its input ({@link org.saliency4j.ModelCard},
 * {@link org.saliency4j.Preprocessing}, {@link org.saliency4j.ModelOptions}), what a call returns
 * ({@link org.saliency4j.SaliencyMap}, {@link org.saliency4j.Prediction}, {@link org.saliency4j.Timings}), how a
 * map is drawn ({@link org.saliency4j.RenderOptions}), how a run uses the CPU's cores
 * ({@link org.saliency4j.Parallelism}, {@link org.saliency4j.EngineSettings}), the one table of parameters
 * ({@link org.saliency4j.Vocabulary}) and the library's error ({@link org.saliency4j.SaliencyException}, which
 * names the input or the parameter). To explain an image, start at {@link org.saliency4j.explain.SaliencyModel}.
 *
 * <p>The bottom of the library: every other package may import it, and it imports only the JDK and Jackson (a
 * model card is JSON). Every type speaks Java types; none holds native memory.
 */
package org.saliency4j;
