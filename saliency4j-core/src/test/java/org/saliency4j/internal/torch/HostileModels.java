package org.saliency4j.internal.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.function.BiFunction;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.bytedeco.pytorch.Tensor;

/**
 * Models that misbehave on purpose, written from Java for the tests: their scores are a linear map of the input's
 * channel means, and "bright" inputs (a mean above 1 after ImageNet normalisation: a white image, not a black one,
 * nor the zero input the model is loaded and warmed up with) trigger the fault, so one image of a run can fail
 * alone.
 */
public final class HostileModels {
    private static final String SCORES = "torch.linear(torch.mean(x, [2, 3]), self.weight, self.bias)";
    private static final String BRIGHT = "bool(torch.mean(x) > 1.0)";

    private HostileModels() {
    }

    /** Scores of NaN for bright inputs. */
    public static void nanWhenBright(Path file, int classes) {
        define(file, "NanWhenBright", classes, "def forward(self, x):\n"
                + "    scores = " + SCORES + "\n"
                + "    if " + BRIGHT + ":\n"
                + "        return scores * float('nan')\n"
                + "    return scores\n");
    }

    /**
     * {@code raise RuntimeError(message)} for bright inputs, as {@code torch.jit.script} writes it. Java's compiler
     * has no Python builtins to resolve {@code RuntimeError} with, so the model is compiled with an {@code assert}
     * and its saved code then given the statement PyTorch saves for the {@code raise} (the source ranges in the
     * debug file, which only place tracebacks, are dropped with it).
     */
    public static void raisesWhenBright(Path file, int classes, String message) throws IOException {
        define(file, "RaisesWhenBright", classes, "def forward(self, x):\n"
                + "    assert not " + BRIGHT + ", \"" + message + "\"\n"
                + "    return " + SCORES + "\n");
        String asserted = "ops.prim.RaiseException(\"AssertionError: " + message + "\")";
        String raised = "ops.prim.RaiseException(\"" + message + "\", \"builtins.RuntimeError\")";
        rewriteZip(file, (name, bytes) -> {
            if (name.endsWith(".debug_pkl")) {
                return null;
            }
            if (!name.endsWith("/code/__torch__.py")) {
                return bytes;
            }
            String code = new String(bytes, StandardCharsets.UTF_8);
            if (!code.contains(asserted)) {
                throw new IllegalStateException("the compiled assert is not where expected:\n" + code);
            }
            return code.replace(asserted, raised).getBytes(StandardCharsets.UTF_8);
        });
    }

    /** A working model whose card, {@code extra/saliency4j.json}, inflates to {@code inflated} spaces. */
    public static void cardBomb(Path file, long inflated) throws IOException {
        define(file, "CardBomb", 4, "def forward(self, x):\n    return " + SCORES + "\n");
        String folder;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String first = zip.entries().nextElement().getName();
            folder = first.substring(0, first.indexOf('/'));
        }
        rewriteZip(file, (name, bytes) -> bytes, out -> {
            out.setLevel(Deflater.BEST_COMPRESSION);
            out.putNextEntry(new ZipEntry(folder + "/extra/saliency4j.json"));
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            for (long written = 0; written < inflated; written += spaces.length) {
                out.write(spaces, 0, (int) Math.min(spaces.length, inflated - written));
            }
            out.closeEntry();
        });
    }

    /** Rewrites a zip's entries in order: {@code edit} returns an entry's new bytes, or null to drop it. */
    public static void rewriteZip(Path file, BiFunction<String, byte[], byte[]> edit) throws IOException {
        rewriteZip(file, edit, out -> {
        });
    }

    /** Adds entries after the rewritten ones. */
    private interface Appender {
        void append(ZipOutputStream out) throws IOException;
    }

    private static void rewriteZip(Path file, BiFunction<String, byte[], byte[]> edit, Appender appender)
            throws IOException {
        Path rewritten = file.resolveSibling(file.getFileName() + ".new");
        try (ZipFile in = new ZipFile(file.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(rewritten))) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                byte[] bytes;
                try (InputStream data = in.getInputStream(entry)) {
                    bytes = edit.apply(entry.getName(), data.readAllBytes());
                }
                if (bytes != null) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    out.write(bytes);
                    out.closeEntry();
                }
            }
            appender.append(out);
        }
        Files.move(rewritten, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Scores computed from a detached copy of the input: they have no gradient. */
    public static void detached(Path file, int classes) {
        define(file, "Detached", classes, "def forward(self, x):\n"
                + "    return torch.linear(torch.mean(x.detach(), [2, 3]), self.weight, self.bias)\n");
    }

    private static void define(Path file, String className, int classes, String source) {
        float[] weight = new float[classes * 3];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (i % 7) - 3;
        }
        TestModels.define(file, className, new String[]{"weight", "bias"},
                new Tensor[]{Tensor.create(weight, classes, 3), Tensor.create(new float[classes], classes)}, source);
    }
}
