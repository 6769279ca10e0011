/**
 * Evaluations of saliency methods: the pointing game on the demo task's boxes, the model-randomisation sanity
 * check (Adebayo et al., 2018), and faithfulness (deletion and insertion curves, the random-logit test,
 * infidelity) on the demo task or any images, against a random map and an edge detector. May import: the core's
 * API, {@code models} and {@code models.torch}.
 */
package org.saliency4j.eval;
