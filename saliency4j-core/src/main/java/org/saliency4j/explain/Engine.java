package org.saliency4j.explain;

import org.saliency4j.EngineSettings;
import org.saliency4j.internal.ParallelPasses;
import org.saliency4j.internal.torch.Tf32;
import org.saliency4j.internal.torch.Threads;

/**
 * The explicit way to set libtorch's process-wide settings: intra-op threads, the threads that run one call's
 * independent passes at once, and TF32 on CUDA. Loading a model
 * never changes them; a program that never calls {@link #configure} runs with libtorch's own behaviour (all
 * physical cores, TF32 allowed in cuDNN convolutions). The recommendation, which the CLI and the service follow:
 *
 * <pre>{@code
 * Engine.configure(EngineSettings.recommended());            // once, at start-up
 * Engine.configure(EngineSettings.recommended().withThreads(8));
 * }</pre>
 *
 * <p>The settings belong to the process, not to a model, and apply to every model loaded before or after. Call it
 * once at start-up, before any model work: libtorch's OpenMP threads that have already run may keep the count they
 * started with. {@link #configure} is thread-safe and idempotent (applying the same settings twice leaves the same
 * state).
 *
 * <p>One process-wide change is not a setting and needs no call: on CPUs where oneDNN's batched convolution
 * backward computes wrong input gradients (seen on AMD Zen 5), the first model load turns oneDNN off, with a
 * warning in the log. It guards correctness, so it cannot depend on a program remembering to configure.
 */
public final class Engine {
    private Engine() {
    }

    /** Applies the settings to libtorch and to the threads that run a call's passes, for the whole process. */
    public static synchronized void configure(EngineSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings are required");
        }
        Threads.set(settings.resolvedThreads());
        ParallelPasses.configure(settings.resolvedPassThreads());
        // OpenBLAS's pool is left as it is, though libtorch's convolutions run in it here (oneDNN off): with a pool
        // of 1 or 3 on this project's Zen 5 machine, libtorch's gradients came out wrong (the demo model's 13% off,
        // the PyTorch-checked tiny CNN's 18%; its own pool of 2, and 4, right, also with two callers at once;
        // OpenBLAS's sgemm and sgemv and a convolution's gradient alone were right at every count: cause not found,
        // measured 2026-12-02). PyTorchReferenceTest checks the gradients under every setting the project applies.
        Tf32.allow(settings.allowTf32());
    }
}
