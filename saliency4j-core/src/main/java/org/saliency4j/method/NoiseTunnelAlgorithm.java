package org.saliency4j.method;

import java.util.Random;

/** The base method over noisy copies of the input: their mean, mean square, or variance. */
final class NoiseTunnelAlgorithm implements Algorithm {
    private final NoiseTunnel method;
    private final Algorithm base;

    NoiseTunnelAlgorithm(NoiseTunnel method) {
        this.method = method;
        this.base = Methods.algorithm(method.base());
    }

    /** @throws UnsupportedOperationException always: a tunnel's copies are not run through another tunnel */
    @Override
    public float[] at(float[] inputs, int n, Context context) {
        throw new UnsupportedOperationException("a noise tunnel cannot wrap another");
    }

    @Override
    public Attributions.Result atInput(Attributions.Input explained, Context context) {
        float[] input = explained.values();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : input) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double sigma = method.noise() * (max - min);
        Random random = new Random(method.seed());
        int plane = context.plane;
        int out = method.base().channels() * context.height * context.width;
        double[] sum = new double[out];
        double[] squares = new double[out];
        int samples = method.samples();
        int chunk = base.copiesAtOnce(context);
        // Noise drawn on this thread in the copies' order, so the copies do not depend on which thread runs them.
        context.passes((samples + chunk - 1) / chunk, part -> {
            float[] noisy = new float[Math.min(chunk, samples - part * chunk) * plane];
            for (int i = 0; i < noisy.length; i++) {
                noisy[i] = (float) (input[i % plane] + random.nextGaussian() * sigma);
            }
            return noisy;
        }, noisy -> base.at(noisy, noisy.length / plane, context), (a, part) -> {
            for (int i = 0; i < a.length; i++) {
                sum[i % out] += a[i];
                squares[i % out] += (double) a[i] * a[i];
            }
        });
        float[] values = new float[out];
        for (int j = 0; j < out; j++) {
            double mean = sum[j] / samples;
            double meanSquare = squares[j] / samples;
            values[j] = (float) switch (method.kind()) {
                case SMOOTHGRAD -> mean;
                case SMOOTHGRAD_SQ -> meanSquare;
                case VARGRAD -> Math.max(0, meanSquare - mean * mean);
            };
        }
        return new Attributions.Result(values, Double.NaN);
    }
}
