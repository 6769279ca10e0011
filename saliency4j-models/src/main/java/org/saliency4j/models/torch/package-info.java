/**
 * TorchScript written, trained and altered from Java, no Python: a module tree from a spec with torch.nn's
 * state-dict names, Adam training in place, and the re-drawn layers of the model-randomisation test. The models
 * module's only code that drives libtorch ({@code org.bytedeco.pytorch}). May import: {@code org.bytedeco}, the
 * core's API and engine.
 */
package org.saliency4j.models.torch;
