package org.saliency4j.models;

/**
 * The TorchScript source of an architecture's {@code forward}, one line per operation on modules named by their
 * state-dict paths. TorchScript cannot take submodules as arguments, so each operation reads its module's tensors
 * directly; a child named by a number ({@code features.0}) is reached with {@code getattr}, since {@code self.0} is
 * not an identifier. Written without loops, so that every module's output stays a value of the top-level graph
 * (where Grad-CAM can tap it by name: a module's output is the last value computed from its own tensors, or what
 * its own forward returned when it has one, see {@link Architecture#submoduleForwards()}).
 */
final class ForwardSource {
    private final StringBuilder source = new StringBuilder("def forward(self, x):\n");

    /** Appends one line of the body. */
    ForwardSource line(String code) {
        source.append("    ").append(code).append('\n');
        return this;
    }

    /** {@code name = expression}. */
    ForwardSource let(String name, String expression) {
        return line(name + " = " + expression);
    }

    String returning(String expression) {
        return line("return " + expression).source.toString();
    }

    /** The TorchScript expression of the module at a dotted state-dict path. */
    static String module(String path) {
        StringBuilder e = new StringBuilder("self");
        for (String part : path.split("\\.")) {
            if (Character.isDigit(part.charAt(0))) {
                e.insert(0, "getattr(").append(", '").append(part).append("')");
            } else {
                e.append('.').append(part);
            }
        }
        return e.toString();
    }

    /**
     * A call of the forward of the module at {@code path} (given by {@link Architecture#submoduleForwards()}):
     * spelled {@code .forward(x)}, since a module type written from Java has no {@code __call__}.
     */
    static String call(String path, String x) {
        return module(path) + ".forward(" + x + ")";
    }

    /** {@code nn.Conv2d} with a square kernel, stride and padding; its bias if it has one. */
    static String conv(String x, String path, int stride, int padding, int groups, boolean bias) {
        String m = module(path);
        return "torch.conv2d(" + x + ", " + m + ".weight, " + (bias ? m + ".bias" : "None") + ", [" + stride + ", "
                + stride + "], [" + padding + ", " + padding + "], [1, 1], " + groups + ")";
    }

    /** A convolution without bias, stride 1, no padding, one group: a 1x1 projection. */
    static String conv(String x, String path) {
        return conv(x, path, 1, 0, 1, false);
    }

    /**
     * torchvision's Conv2dNormActivation without its activation: {@code module}'s {@code .0} convolution (no bias)
     * and {@code .1} BatchNorm; a module path of "" is self's own.
     */
    static String convNorm(String x, String module, int stride, int padding, int groups, double eps) {
        String prefix = module.isEmpty() ? "" : module + ".";
        return batchNorm(conv(x, prefix + "0", stride, padding, groups, false), prefix + "1", eps);
    }

    /** {@code nn.BatchNorm2d} with its running statistics (eval mode; {@code self.training} in training). */
    static String batchNorm(String x, String path, double eps) {
        String m = module(path);
        return "torch.batch_norm(" + x + ", " + m + ".weight, " + m + ".bias, " + m + ".running_mean, " + m
                + ".running_var, self.training, 0.1, " + Double.toString(eps) + ", False)";
    }

    static String linear(String x, String path) {
        String m = module(path);
        return "torch.linear(" + x + ", " + m + ".weight, " + m + ".bias)";
    }

    /** {@code nn.LayerNorm} over the last dimension, of {@code channels} values. */
    static String layerNorm(String x, String path, int channels, double eps) {
        String m = module(path);
        return "torch.layer_norm(" + x + ", [" + channels + "], " + m + ".weight, " + m + ".bias, "
                + Double.toString(eps) + ")";
    }

}
