package org.saliency4j.internal.torch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.Block;
import org.bytedeco.pytorch.ExecutorExecutionModeOptional;
import org.bytedeco.pytorch.Graph;
import org.bytedeco.pytorch.GraphFunction;
import org.bytedeco.pytorch.GraphFunctionCreator;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.JitNode;
import org.bytedeco.pytorch.QualifiedName;
import org.bytedeco.pytorch.Symbol;
import org.bytedeco.pytorch.Value;
import org.bytedeco.pytorch.ValueVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A copy of a TorchScript model's forward graph with every submodule call inlined, which knows the values its
 * layers produce, and which can be rewritten to return some of them beside the logits (Grad-CAM needs a layer's
 * output and the gradient w.r.t. it; PyTorch would use a module hook, which TorchScript models do not run).
 * <p>
 * Layers are named by module path, as in a state dict ({@code features.norm5}). A value is layer P's output when a
 * call to P's {@code forward} returned it (modules scripted by PyTorch), or, for forwards that read submodules'
 * parameters directly (the models this project writes), when it is the last value of the top-level graph computed
 * from P's own parameters or buffers. Only values of the top-level block count: one computed inside a branch or a
 * loop is not always there to return. Not thread-safe; make one per rewrite (callers cache the result).
 */
final class ForwardGraph {
    private static final Pattern CALL = Pattern.compile("= prim::CallMethod\\[name=\"([^\"]+)\"\\]");

    /**
     * A GraphFunction's creator, called once at its first run to define it; ours is defined by its graph already.
     * Kept for the life of the process: a class may be initialised inside a PointerScope, whose close would free it.
     */
    private static final GraphFunctionCreator NO_CREATOR = new GraphFunctionCreator() {
        @Override
        public void call(GraphFunction function) {
        }
    }.retainReference();

    private final JitModule module;
    private final Graph graph;
    /** Module values (prim::GetAttr outputs, and self) by address, and their paths. */
    private final Map<Long, String> modulePaths = new HashMap<>();
    /** Layer outputs found by their calls: path to value. */
    private final Map<String, Value> calls = new LinkedHashMap<>();
    /** Layer outputs found by their parameter reads: path to the last value computed from them. */
    private final Map<String, Value> parameterReads = new LinkedHashMap<>();

    private ForwardGraph(JitModule module) {
        this.module = module;
        this.graph = module.get_method("forward").graph().copy();
        modulePaths.put(graph.inputs().at(0).address(), "");
        inlineCalls();
        for (JitNode node = first(graph.block()); !isEnd(node, graph.block()); node = node.next()) {
            recordParameterReads(node);
        }
    }

    /** Inlines {@code module}'s forward; the caller must keep the module alive while this is used. */
    static ForwardGraph of(JitModule module) {
        return new ForwardGraph(module);
    }

    /**
     * The layers in the order the forward computes them; a value with several names (a Sequential and its last
     * child) appears once, under its longest name, and answers to all of them.
     */
    List<String> layers() {
        Map<Long, String> names = names();
        List<String> ordered = new ArrayList<>();
        for (JitNode node = first(graph.block()); !isEnd(node, graph.block()); node = node.next()) {
            for (int i = 0; i < node.outputs().size(); i++) {
                String name = names.get(node.output(i).address());
                if (name != null) {
                    ordered.add(name);
                }
            }
        }
        return ordered;
    }

    /** Whether {@code layer} names a layer (including the shorter names of a shared value). */
    boolean has(String layer) {
        return value(layer) != null;
    }

    /**
     * Rewrites the forward to return (logits, output of each layer) as a tuple. A layer's value is copied before
     * the rest of the forward uses it: an in-place operation after it (torchvision's DenseNet applies
     * {@code relu_} to {@code features.norm5}) then changes the copy, and the returned tensor keeps the layer's
     * own output, whose gradient is the one that flows back through the copy, as a PyTorch hook would see it.
     *
     * @return a function of (self, input), run by the simple executor so that every operation leaves its own
     *         autograd node and the gradient w.r.t. a returned layer output is that of the whole score
     */
    GraphFunction returning(List<String> layerNames) {
        List<Value> values = new ArrayList<>();
        values.add(graph.outputs().at(0));
        for (String layer : layerNames) {
            Value value = value(layer);
            if (value == null) {
                throw new IllegalArgumentException("no layer " + layer);
            }
            values.add(value);
            copyBeforeUses(value);
        }
        JitNode tuple = graph.createTuple(new ValueVector(values.toArray(new Value[0])));
        tuple.insertBefore(graph.return_node());
        graph.block().replaceOutput(0, tuple.output());
        return new GraphFunction(new QualifiedName("saliency4j.layer_outputs"), graph, NO_CREATOR,
                new ExecutorExecutionModeOptional(torch.ExecutorExecutionMode.SIMPLE));
    }

    /**
     * Rewrites the forward to take a second input, a mask, by which {@code layer}'s output is multiplied before the
     * rest of the forward uses it (broadcast: a (batch, channels, 1, 1) mask scales whole channels of a feature map);
     * what Ablation-CAM runs, with one channel zeroed per image. The output stays the logits.
     *
     * @return a function of (self, input, mask), run by the simple executor like {@link #returning}
     */
    GraphFunction scaling(String layer) {
        Value value = value(layer);
        if (value == null) {
            throw new IllegalArgumentException("no layer " + layer);
        }
        // A graph input is a tensor unless typed otherwise.
        Value mask = graph.addInput("mask");
        JitNode product = graph.create(Symbol.aten("mul"), new ValueVector(value, mask), 1);
        product.output().setType(value.type());
        product.insertAfter(value.node());
        value.replaceAllUsesAfterNodeWith(product, product.output());
        return new GraphFunction(new QualifiedName("saliency4j.layer_scaled"), graph, NO_CREATOR,
                new ExecutorExecutionModeOptional(torch.ExecutorExecutionMode.SIMPLE));
    }

    private Value value(String layer) {
        Value byCall = calls.get(layer);
        return byCall != null ? byCall : parameterReads.get(layer);
    }

    /** Each layer value's longest name: calls first, then parameter reads of modules not called. */
    private Map<Long, String> names() {
        Map<Long, String> names = new HashMap<>();
        Map<String, Value> all = new LinkedHashMap<>(parameterReads);
        all.putAll(calls);
        for (Map.Entry<String, Value> e : all.entrySet()) {
            Value v = e.getValue();
            if (!inTopBlock(v)) {
                continue;
            }
            names.merge(v.address(), e.getKey(), (a, b) -> b.length() > a.length() ? b : a);
        }
        return names;
    }

    /**
     * Inlines every call of a method of a known module, round after round (a call's body may call further
     * submodules), recording layer outputs.
     */
    private void inlineCalls() {
        while (true) {
            recordModulePaths(graph.block());
            List<JitNode> calls = new ArrayList<>();
            collectCalls(graph.block(), calls);
            List<String> methods = calledMethods();
            if (methods.size() != calls.size()) {
                throw new IllegalStateException("found " + calls.size() + " method calls in the graph, but "
                        + methods.size() + " in its text");
            }
            boolean inlined = false;
            for (int i = 0; i < calls.size(); i++) {
                if (modulePaths.containsKey(calls.get(i).input(0).address())) {
                    inline(calls.get(i), methods.get(i));
                    inlined = true;
                }
            }
            if (!inlined) {
                return;
            }
        }
    }

    /** Names each module value (a prim::GetAttr of a known module that yields a module) by its path. */
    private void recordModulePaths(Block block) {
        for (JitNode node = first(block); !isEnd(node, block); node = node.next()) {
            if (kind(node).equals("prim::GetAttr") && !modulePaths.containsKey(node.output().address())) {
                String owner = modulePaths.get(node.input(0).address());
                if (owner != null && node.output().type().get().is_module()) {
                    String attribute = attributeName(owner, node.output());
                    if (attribute != null) {
                        modulePaths.put(node.output().address(), join(owner, attribute));
                    }
                }
            }
            for (int i = 0; i < node.blocks().size(); i++) {
                recordModulePaths(node.blocks().at(i));
            }
        }
    }

    /** Every prim::CallMethod node, in the order the graph prints them (each node before its blocks). */
    private static void collectCalls(Block block, List<JitNode> calls) {
        for (JitNode node = first(block); !isEnd(node, block); node = node.next()) {
            if (kind(node).equals("prim::CallMethod")) {
                calls.add(node);
            }
            for (int i = 0; i < node.blocks().size(); i++) {
                collectCalls(node.blocks().at(i), calls);
            }
        }
    }

    /**
     * The method each prim::CallMethod calls, in print order. The bindings' {@code JitNode.s(attr::name)} returns
     * a dangling copy of the string, so the names are read from the graph's text instead.
     */
    private List<String> calledMethods() {
        List<String> names = new ArrayList<>();
        Matcher m = CALL.matcher(graph.toString());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private void inline(JitNode call, String method) {
        String path = modulePaths.get(call.input(0).address());
        GraphFunction callee = torch.tryToGraphFunction(module(path).get_method(method).function());
        if (callee == null) {
            return;
        }
        long[] old = new long[(int) call.outputs().size()];
        for (int i = 0; i < old.length; i++) {
            old[i] = call.output(i).address();
        }
        // The callee's own graph: its optimised graph has its submodule calls inlined already, names lost.
        ValueVector outputs = torch.inlineCallTo(call, callee, false);
        // A method returning another method's result: the recorded value was that call's output, now replaced.
        for (Map.Entry<String, Value> e : calls.entrySet()) {
            for (int i = 0; i < old.length; i++) {
                if (e.getValue().address() == old[i]) {
                    e.setValue(outputs.get(i));
                }
            }
        }
        // forward__0, forward__1: the overloads of a forward declared with torch.jit._overload_method.
        if ((method.equals("forward") || method.startsWith("forward__")) && !path.isEmpty() && outputs.size() == 1) {
            calls.put(path, outputs.get(0));
        }
    }

    /** A node reading a submodule's tensor attributes (parameters, buffers) computes that module's output so far. */
    private void recordParameterReads(JitNode node) {
        if (node.outputs().size() != 1 || !isTensor(node.output())) {
            return;
        }
        for (int i = 0; i < node.inputs().size(); i++) {
            Value input = node.input(i);
            JitNode producer = input.node();
            if (kind(producer).equals("prim::GetAttr") && isTensor(input)) {
                String owner = modulePaths.get(producer.input(0).address());
                if (owner != null && !owner.isEmpty()) {
                    parameterReads.put(owner, node.output());
                }
            }
        }
    }

    /** Inserts {@code copy = aten::clone(value)} after value's node and points every later use at the copy. */
    private void copyBeforeUses(Value value) {
        graph.setInsertPoint(value.node());
        Value none = graph.insertConstant(new IValue());
        JitNode clone = graph.create(Symbol.aten("clone"), new ValueVector(value, none), 1);
        clone.output().setType(value.type());
        clone.insertAfter(value.node());
        value.replaceAllUsesAfterNodeWith(clone, clone.output());
    }

    /**
     * The attribute a prim::GetAttr of module {@code owner} reads. The bindings' {@code JitNode.s(attr::name)}
     * returns a dangling copy of the string, so the name comes from the output's debug name, which TorchScript sets
     * to the attribute's name ({@code _0} for a Sequential's {@code 0}), checked against the module's attributes.
     */
    private String attributeName(String owner, Value output) {
        String base = output.debugNameBase().getString();
        JitModule ownerModule = module(owner);
        if (ownerModule.hasattr(base)) {
            return base;
        }
        if (base.startsWith("_") && ownerModule.hasattr(base.substring(1))) {
            return base.substring(1);
        }
        return null;
    }

    private JitModule module(String path) {
        JitModule owner = module;
        if (!path.isEmpty()) {
            for (String part : path.split("\\.")) {
                owner = new JitModule(owner.attr(part).toObject());
            }
        }
        return owner;
    }

    private boolean inTopBlock(Value v) {
        return v.node().owningBlock().address() == graph.block().address();
    }

    private static boolean isTensor(Value v) {
        // JNI returns enum objects that are not the constants themselves: compare values.
        return v.type().get().kind().value == torch.TypeKind.TensorType.value;
    }

    private static String kind(JitNode node) {
        return node.kind().toQualString().getString();
    }

    private static JitNode first(Block block) {
        return block.nodes().front();
    }

    private static boolean isEnd(JitNode node, Block block) {
        return node.address() == block.return_node().address();
    }

    private static String join(String owner, String name) {
        return owner.isEmpty() ? name : owner + "." + name;
    }
}
