package org.saliency4j.internal.torch;

import org.bytedeco.javacpp.Pointer;

/** The process's memory as JavaCPP measures it, for metrics: native allocations (libtorch, OpenCV) included. */
public final class NativeMemory {
    private NativeMemory() {
    }

    /** The resident set size of the process, in bytes; 0 where the platform does not say. */
    public static long residentBytes() {
        return Pointer.physicalBytes();
    }
}
