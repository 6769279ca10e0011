package org.saliency4j.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.saliency4j.FloatTensor;
import org.saliency4j.Picture;

/**
 * Pictures and tensors of arrays made for them, without the copy that the public constructors of {@link Picture}
 * and {@link FloatTensor} take: a decoded 64 MP image or a large gradient would otherwise briefly exist twice.
 * Those types keep their owning constructors private, so that their public API never shares an array with a
 * caller; the library's own code, whose arrays are never written once handed over, reaches them through method
 * handles here.
 */
public final class Adopted {
    private static final MethodHandle PICTURE = owningConstructor(Picture.class,
            MethodType.methodType(void.class, int.class, int.class, byte[].class, boolean.class));
    private static final MethodHandle TENSOR = owningConstructor(FloatTensor.class,
            MethodType.methodType(void.class, int[].class, float[].class, boolean.class));

    private Adopted() {
    }

    /** A picture that owns {@code rgb}: the caller must not write it afterwards. */
    public static Picture picture(int width, int height, byte[] rgb) {
        try {
            return (Picture) PICTURE.invokeExact(width, height, rgb, false);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A tensor that owns {@code data}: the caller must not write it afterwards. */
    public static FloatTensor tensor(int[] shape, float[] data) {
        try {
            return (FloatTensor) TENSOR.invokeExact(shape, data, false);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle owningConstructor(Class<?> type, MethodType signature) {
        try {
            return MethodHandles.privateLookupIn(type, MethodHandles.lookup()).findConstructor(type, signature);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getSimpleName() + "'s owning constructor is missing", e);
        }
    }
}
