package org.saliency4j.models;

import org.saliency4j.models.torch.ModuleSpec;

/**
 * The demo classifier: four 3x3 convolutions, each with batch normalisation and ReLU (the first three followed by
 * 2x2 max pooling), global average pooling and a linear layer, for {@link ShapesTask}'s 64x64 images. About 61
 * thousand parameters.
 */
public final class DemoNet {
    static final int[] CHANNELS = {3, 16, 32, 64, 64};

    static final String FORWARD = forward();

    private DemoNet() {
    }

    /** TorchScript cannot pass submodules as arguments, so each block's lines are written out. */
    private static String forward() {
        StringBuilder source = new StringBuilder("def forward(self, x):\n");
        for (int i = 1; i < CHANNELS.length; i++) {
            source.append(String.format(
                    "    x = torch.conv2d(x, self.conv%1$d.weight, self.conv%1$d.bias, [1, 1], [1, 1])%n"
                            + "    x = torch.relu(torch.batch_norm(x, self.norm%1$d.weight, self.norm%1$d.bias,"
                            + " self.norm%1$d.running_mean, self.norm%1$d.running_var, self.training, 0.1, 1e-05, False))%n",
                    i));
            if (i < CHANNELS.length - 1) {
                source.append("    x = torch.max_pool2d(x, [2, 2])\n");
            }
        }
        return source.append("    return torch.linear(torch.mean(x, [2, 3]), self.fc.weight, self.fc.bias)\n").toString();
    }

    /** Untrained weights: Kaiming-normal convolutions, PyTorch's default uniform biases and linear layer. */
    static ModuleSpec spec(long seed) {
        SpecBuilder root = SpecBuilder.random(seed);
        for (int i = 1; i < CHANNELS.length; i++) {
            int in = CHANNELS[i - 1];
            int out = CHANNELS[i];
            root.child("conv" + i).kaimingNormal("weight", out, in, 3, 3).uniformFanIn("bias", in * 9, out);
            root.child("norm" + i).batchNorm(out);
        }
        int features = CHANNELS[CHANNELS.length - 1];
        int classes = ShapesTask.LABELS.size();
        root.child("fc").uniformFanIn("weight", features, classes, features).uniformFanIn("bias", features, classes);
        return root.build();
    }
}
