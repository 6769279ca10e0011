package org.saliency4j.internal.image;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.CriticalRegion;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The project's own native kernel ({@code src/main/cpp/overlay.cpp}, built by CMake, bound by JavaCPP): a built
 * map's 8-bit levels, colour map and overlay blend in one pass, with the bytes of {@link Renderer}'s OpenCV path. Absent (no compiler at build time, a CPU without
 * AVX2 and FMA), {@link #AVAILABLE} is false and callers use the OpenCV path.
 */
@Platform(include = "saliency4j/overlay.h", link = "saliency4j_kernels")
@Namespace("saliency4j")
final class FusedOverlay {
    static final boolean AVAILABLE = load();

    private FusedOverlay() {
    }

    private static boolean load() {
        try {
            Loader.load();
            return available();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    @Name("overlay_available")
    private static native boolean available();

    /**
     * @param map         height x width, as {@link MapBuilder} built it; values outside [0, 1] are clipped
     * @param background  height x width RGB
     * @param lut         256 RGB colours
     * @param alpha       the colour's weight, as a float
     * @param keep        the background's weight, 1 - alpha computed in double, as a float
     * @param out         height x width RGB, the overlay
     */
    // The arrays are pinned rather than copied in and out: the kernel is pure computation, no JNI calls.
    @CriticalRegion
    @NoException
    static native void overlay(float[] map, int height, int width,
                               @Cast("const std::uint8_t*") byte[] background, @Cast("const std::uint8_t*") byte[] lut,
                               float alpha, float keep, @Cast("std::uint8_t*") byte[] out);
}
