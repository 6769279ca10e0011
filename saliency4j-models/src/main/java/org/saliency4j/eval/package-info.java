/**
 * Evaluations of saliency methods: the pointing game on the demo task's boxes, and the model-randomisation sanity
 * check (Adebayo et al., 2018). May import: the core's API, {@code models} and {@code models.torch}.
 */
package org.saliency4j.eval;
