package org.saliency4j.explain;

import org.saliency4j.EngineSettings;
import org.saliency4j.internal.torch.Tf32;
import org.saliency4j.internal.torch.Threads;

/**
 * The explicit way to set libtorch's process-wide settings: intra-op threads and TF32 on CUDA. Loading a model
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

    /** Applies the settings to libtorch, for the whole process. */
    public static synchronized void configure(EngineSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings are required");
        }
        Threads.set(settings.resolvedThreads());
        // A count given explicitly bounds OpenBLAS's pool too: it is what a program running N workers of N threads
        // each asks for. Measured on 2 cores (demo model): two threads explaining at once ran 186 explains/s with
        // OpenBLAS's default pool of 2, fewer than one thread alone (278), and 432 with a pool of 1. The automatic
        // count leaves OpenBLAS its own pool, which serves one stream faster (278 against 211 with a pool of 1).
        Threads.setBlas(settings.threads());
        Tf32.allow(settings.allowTf32());
    }
}
