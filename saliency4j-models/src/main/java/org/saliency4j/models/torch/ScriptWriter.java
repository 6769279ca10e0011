package org.saliency4j.models.torch;

import org.saliency4j.internal.torch.ModelFiles;
import org.saliency4j.internal.torch.NativeErrors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolType;
import org.bytedeco.pytorch.CompilationUnit;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.QualifiedName;
import org.bytedeco.pytorch.QualifiedNameOptional;
import org.bytedeco.pytorch.SimpleSelf;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.Type;
import org.bytedeco.pytorch.global.torch;
import org.saliency4j.ModelCard;
import org.saliency4j.SaliencyException;

/**
 * Writes a TorchScript module from Java, no Python: the module tree with its parameters and buffers under
 * torch.nn's state-dict names, a {@code forward} compiled from TorchScript source on the root, and a model card
 * stored as the extra file {@code saliency4j.json} (read back by {@link ModelCard#read}).
 */
public final class ScriptWriter {
    private ScriptWriter() {
    }

    /**
     * @param className the root's TorchScript class name (children get names derived from their paths)
     * @param forward   TorchScript source of {@code def forward(self, x):} for the root
     * @param card      the model card, or null for none
     */
    public static void save(ModuleSpec spec, String className, String forward, ModelCard card, Path file) {
        save(spec, className, Map.of("", forward), card, file);
    }

    /**
     * @param forwards TorchScript sources of {@code def forward(self, x):} by module path ({@code ""} for the root,
     *                 {@code layer4} for a child): a child with its own forward is called as {@code self.layer4(x)}
     *                 and its output is a layer named by its path, as in a model scripted by PyTorch
     */
    public static void save(ModuleSpec spec, String className, Map<String, String> forwards, ModelCard card,
                            Path file) {
        try (PointerScope scope = new PointerScope()) {
            CompilationUnit unit = new CompilationUnit();
            JitModule root = build(unit, spec, className);
            // Children first: a forward compiles only when the forwards it calls are defined.
            List<String> paths = new ArrayList<>(forwards.keySet());
            paths.sort(Comparator.comparingInt((String path) -> path.isEmpty() ? 0 : path.split("\\.").length)
                    .reversed());
            for (String path : paths) {
                JitModule module = submodule(root, path);
                try {
                    unit.define(new QualifiedNameOptional(module.type().name().get()), forwards.get(path),
                            torch.nativeResolver(), new SimpleSelf(module.type()));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("the generated forward of " + className
                            + (path.isEmpty() ? "" : "." + path) + " does not compile: " + NativeErrors.summary(e), e);
                }
            }
            ModelFiles.save(root, file, card);
        }
    }

    private static JitModule submodule(JitModule root, String path) {
        JitModule module = root;
        if (!path.isEmpty()) {
            for (String part : path.split("\\.")) {
                module = new JitModule(module.attr(part).toObject());
            }
        }
        return module;
    }

    private static JitModule build(CompilationUnit unit, ModuleSpec spec, String className) {
        JitModule module = new JitModule(new QualifiedName("__torch__." + className), unit, true);
        // nn.Module's `training` flag: JitModule.train() and eval() set it, and forward may read it (BatchNorm).
        module.register_attribute("training", new Type.TypePtr(BoolType.get().get()), new IValue(false), false, false);
        // Values are made here, one entry at a time, in state-dict order (see ModuleSpec), and copied to libtorch.
        spec.parameters().forEach((name, entry) -> module.register_parameter(name, tensor(entry), false));
        spec.buffers().forEach((name, entry) -> module.register_buffer(name, tensor(entry)));
        spec.counters().forEach((name, entry) -> {
            // Asked for all the same, so that a weights file sees every entry; eval mode never reads a counter,
            // and the module starts it at zero as torch.nn does.
            entry.values().get();
            module.register_buffer(name, torch.zeros(new long[0], new org.bytedeco.pytorch.TensorOptions(
                    torch.ScalarType.Long)));
        });
        spec.children().forEach((name, child) -> module.register_module(name, build(unit, child,
                className + "_" + name)));
        return module;
    }

    private static Tensor tensor(ModuleSpec.Entry entry) {
        int[] shape = entry.shape();
        long[] sizes = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            sizes[i] = shape[i];
        }
        float[] values = entry.values().get();
        // Tensor.create reads as many floats as the shape holds: a shorter array would be read past its end.
        if (values.length != entry.size()) {
            throw new IllegalStateException(values.length + " values for a tensor of shape "
                    + Arrays.toString(shape));
        }
        return Tensor.create(values, sizes);
    }
}
