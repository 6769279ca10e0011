package org.saliency4j.internal.torch;

import org.bytedeco.pytorch.global.torch;

/** Whether CUDA may compute convolutions and matrix products in TF32, a process-wide libtorch setting. */
public final class Tf32 {
    private Tf32() {
    }

    /** Allows or forbids TF32 in cuDNN and cuBLAS; without CUDA there is nothing to set. */
    public static synchronized void allow(boolean allowed) {
        if (torch.cuda_is_available()) {
            torch.globalContext().setAllowTF32CuDNN(allowed);
            torch.globalContext().setAllowTF32CuBLAS(allowed);
        }
    }

    /** Whether cuDNN may use TF32 (cuBLAS follows the same call); false without CUDA. */
    public static boolean allowed() {
        return torch.cuda_is_available() && torch.globalContext().allowTF32CuDNN();
    }
}
