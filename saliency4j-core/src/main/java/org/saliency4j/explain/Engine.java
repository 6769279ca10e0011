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
        int intraOp = Threads.count();
        int passes = settings.resolvedPassThreads();
        ParallelPasses.configure(passes, intraOp);
        // OpenBLAS keeps its own pool only where one libtorch thread is its only caller (the automatic count, one
        // pass at a time): there it serves one stream faster (DenseNet-201, 2 cores: 347 ms against 452 with a pool
        // of 1). Anywhere else its pool is 1. Beside libtorch's own pool, both spin at once: one worker of two
        // threads ran DenseNet-201 in 5600 ms with both pools at 2 against 530 with OpenBLAS at 1, and the demo
        // model 10 times slower. Beside other callers (workers, pass threads) it is shared: two workers ran the demo
        // model at 0.65x one worker with OpenBLAS's pool of 2 (measured 2026-12-02).
        Threads.setBlas(settings.threads() == 0 && intraOp == 1 && passes == 1 ? 0 : 1);
        Tf32.allow(settings.allowTf32());
    }
}
