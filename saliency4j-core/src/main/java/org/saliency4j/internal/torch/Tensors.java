package org.saliency4j.internal.torch;

import java.nio.FloatBuffer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Copies between tensors and Java arrays. */
public final class Tensors {
    private Tensors() {
    }

    /** A tensor's values as float32, row-major, copied to a Java array from any device. */
    public static float[] toFloats(Tensor t) {
        Tensor host = t.to(new Device("cpu"), torch.ScalarType.Float).contiguous();
        FloatBuffer buffer = host.createBuffer();
        float[] values = new float[(int) host.numel()];
        buffer.get(values);
        return values;
    }
}
