package org.saliency4j.internal.image;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.saliency4j.Picture;

/**
 * Makes pictures of arrays made for them, without the copy that {@link Picture}'s public constructor takes: a
 * decoded 64 MP image would otherwise briefly exist twice. Picture keeps that constructor private, so that its
 * public API never shares an array with a caller; this package, whose arrays are never written once handed
 * over, reaches it through a method handle.
 */
final class Pictures {
    private static final MethodHandle ADOPT = adoptingConstructor();

    private Pictures() {
    }

    /** A picture that owns {@code rgb}: the caller must not write it afterwards. */
    static Picture adopt(int width, int height, byte[] rgb) {
        try {
            return (Picture) ADOPT.invokeExact(width, height, rgb, false);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle adoptingConstructor() {
        try {
            return MethodHandles.privateLookupIn(Picture.class, MethodHandles.lookup()).findConstructor(Picture.class,
                    MethodType.methodType(void.class, int.class, int.class, byte[].class, boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Picture's owning constructor is missing", e);
        }
    }
}
