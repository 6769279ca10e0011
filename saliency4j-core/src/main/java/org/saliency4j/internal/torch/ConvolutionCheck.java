package org.saliency4j.internal.torch;

import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks once per process that oneDNN's convolution backward agrees with libtorch's own, and turns oneDNN off
 * when it does not.
 *
 * <p>Why: on AMD Zen 5 (EPYC family 26), the oneDNN inside the JavaCPP libtorch 2.10 build computes the input
 * gradient of a 3-channel convolution wrongly for batches of two or more (errors of the order of the values
 * themselves, measured 2026-12-01; right again with oneDNN limited to AVX). That gradient is the saliency map of
 * every batched call (explainBatch, noise tunnels, integrated gradients). libtorch's native convolution is right
 * there, so the engine falls back to it rather than return wrong maps. The forward pass agrees either way.
 *
 * <p>Why automatic, at the first model load, and not part of {@code org.saliency4j.explain.Engine#configure}: the
 * configuration holds tunings a program may choose (threads, TF32), and a program that never calls it gets
 * libtorch's behaviour. This is not a tuning but correctness: a program that forgot to configure would otherwise
 * get wrong gradients, silently. So it runs for everyone, once per process, changes a setting only where oneDNN
 * is measured wrong, and says so in a warning; on every other CPU it leaves oneDNN as it was.
 *
 * <p>On Zen 5 itself oneDNN is turned off without a probe: there the probe found oneDNN right in one process of
 * four (its fault comes and goes), and in that process a ResNet-50 backward later died in oneDNN's 1x1 convolution
 * with a SIGFPE (in {@code brg_blocking_t::est_eff_1x1}), taking the JVM with it (measured 2026-12-02). A fault
 * that kills the process cannot be probed for safely, so that CPU is recognised by its family.
 *
 * <p>NNPACK is turned off on every CPU. libtorch uses it only for forwards without gradient in batches of 16 or
 * more, so with it a forward-only score (perturbation methods, faithfulness curves) would come from another
 * convolution than the same image's gradient pass; and where NNPACK cannot initialise (this Zen 5 machine) libtorch
 * logs a warning on every such forward: 70,000 lines in one faithfulness run.
 */
final class ConvolutionCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ConvolutionCheck.class);
    /** Relative to the gradient's largest value; float32 reorderings stay far below it. */
    private static final double TOLERANCE = 1e-4;
    private static boolean done;

    private ConvolutionCheck() {
    }

    /** Runs the check on the first call; later calls return at once. */
    static synchronized void ensure() {
        if (done) {
            return;
        }
        done = true;
        torch.globalContext().setUserEnabledNNPACK(false);
        if (!torch.globalContext().userEnabledMkldnn()) {
            return;
        }
        if (Zen5.isThisCpu()) {
            torch.globalContext().setUserEnabledMkldnn(false);
            LOG.warn("oneDNN is turned off on this CPU (AMD family 26, Zen 5): its convolution backward gives wrong "
                    + "gradients there and can crash the process");
            return;
        }
        float[] withOneDnn = inputGradient();
        torch.globalContext().setUserEnabledMkldnn(false);
        float[] nativeOnly = inputGradient();
        double error = maxAbsDifference(withOneDnn, nativeOnly) / Math.max(maxAbs(nativeOnly), Float.MIN_NORMAL);
        if (error <= TOLERANCE) {
            torch.globalContext().setUserEnabledMkldnn(true);
        } else {
            LOG.warn("oneDNN's convolution backward disagrees with libtorch's on this CPU (relative error {}): "
                    + "oneDNN is turned off for this process, so gradients stay right", String.format("%.2g", error));
        }
    }

    /** The input gradient of a small batched 3-channel convolution: the layer every image classifier starts with. */
    private static float[] inputGradient() {
        int batch = 4;
        int size = 16;
        Random random = new Random(1);
        float[] x = gaussian(random, batch * 3 * size * size);
        float[] w = gaussian(random, 6 * 3 * 3 * 3);
        try (PointerScope scope = new PointerScope()) {
            Tensor input = Tensor.create(x, batch, 3, size, size);
            input.requires_grad_(true);
            Tensor y = torch.conv2d(input, Tensor.create(w, 6, 3, 3, 3), new TensorOptional(), new long[]{1, 1},
                    new long[]{1, 1}, new long[]{1, 1}, 1);
            y.mul(y).sum().backward();
            return Tensors.toFloats(input.grad());
        }
    }

    private static float[] gaussian(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
