package org.saliency4j.internal.torch;

import java.util.Locale;
import org.bytedeco.pytorch.global.torch;
import org.saliency4j.SaliencyException;

/** Resolves {@code auto|cpu|cuda|cuda:N} to a device libtorch has here, or says why it cannot. */
final class TorchDevices {
    private TorchDevices() {
    }

    /** The canonical name: {@code cpu} or {@code cuda:N}. */
    static String resolve(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            return cudaAvailable() ? "cuda:0" : "cpu";
        }
        if (s.equals("cpu")) {
            return "cpu";
        }
        if (s.equals("cuda") || s.startsWith("cuda:")) {
            int index = 0;
            if (s.startsWith("cuda:")) {
                try {
                    index = Integer.parseInt(s.substring(5));
                } catch (NumberFormatException e) {
                    throw badSpec(spec);
                }
            }
            if (!cudaAvailable()) {
                throw new SaliencyException(SaliencyException.Kind.DEVICE, "device " + spec,
                        "CUDA is not available here (no CUDA device, or the CPU build of libtorch is loaded); "
                                + "use the device cpu or auto");
            }
            int count = torch.cuda_device_count();
            if (index < 0 || index >= count) {
                throw new SaliencyException(SaliencyException.Kind.DEVICE, "device " + spec,
                        "there is no CUDA device " + index + " (this machine has " + count + ")");
            }
            return "cuda:" + index;
        }
        throw badSpec(spec);
    }

    private static SaliencyException badSpec(String spec) {
        return new SaliencyException(SaliencyException.Kind.OPTION, "device",
                "unknown device '" + spec + "' (expected auto, cpu, cuda or cuda:N)");
    }

    private static boolean cudaAvailable() {
        return torch.cuda_is_available();
    }
}
