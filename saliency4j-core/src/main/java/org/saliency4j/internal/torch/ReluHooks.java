package org.saliency4j.internal.torch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.EdgeVector;
import org.bytedeco.pytorch.FunctionPostHook;
import org.bytedeco.pytorch.FunctionPreHook;
import org.bytedeco.pytorch.Node;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.saliency4j.method.ReluRule;

/**
 * Changes how the ReLUs of one autograd graph pass gradients back. Autograd is linear in the incoming gradient,
 * so no rewrite of the forward can clip it; hooks on the graph's ReLU backward nodes can. The graph must come
 * from an unoptimised TorchScript run (see {@link TorchClassifier}): the optimising executor folds ReLUs into
 * differentiable subgraphs whose insides have no nodes to hook. The hooks belong to the nodes (libtorch takes
 * them over) and die with the graph.
 */
final class ReluHooks {
    private ReluHooks() {
    }

    /**
     * Hooks every ReLU backward node reachable from {@code root}.
     *
     * @return the hooks, which the caller keeps reachable until backward has run; and their count, for checks
     */
    static List<Object> install(Node root, ReluRule rule) {
        List<Object> hooks = new ArrayList<>();
        Deque<Node> queue = new ArrayDeque<>();
        Set<Long> seen = new HashSet<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            Node node = queue.poll();
            if (node == null || node.isNull() || !seen.add(node.address())) {
                continue;
            }
            String name = node.name().getString();
            if (name.startsWith("ReluBackward") || name.startsWith("ThresholdBackward")) {
                if (rule == ReluRule.GUIDED) {
                    PositiveIncoming hook = new PositiveIncoming();
                    node.add_pre_hook(hook);
                    hooks.add(hook);
                } else {
                    PositiveOutgoing hook = new PositiveOutgoing();
                    node.add_post_hook(hook);
                    hooks.add(hook);
                }
            }
            EdgeVector edges = node.next_edges();
            for (long i = 0; i < edges.size(); i++) {
                Node next = edges.get(i).function();
                if (next != null && !next.isNull()) {
                    queue.add(next);
                }
            }
        }
        return hooks;
    }

    /** Guided: the incoming gradient's negative part is dropped before the ReLU applies its own mask. */
    private static final class PositiveIncoming extends FunctionPreHook {
        @Override
        public TensorVector apply(TensorVector gradients) {
            return positive(gradients);
        }
    }

    /** Deconvnet: the ReLU's result is replaced by the positive part of what came in, ignoring the forward mask. */
    private static final class PositiveOutgoing extends FunctionPostHook {
        @Override
        public TensorVector apply(TensorVector outgoing, TensorVector incoming) {
            return positive(incoming);
        }
    }

    private static TensorVector positive(TensorVector gradients) {
        // Made per call, never static: a native object created inside a PointerScope dies with that scope.
        Scalar zero = new Scalar(0.0);
        TensorVector out = new TensorVector();
        for (long i = 0; i < gradients.size(); i++) {
            Tensor g = gradients.get(i);
            // An undefined gradient (none flowed) reaches Java as a null pointer and goes back undefined.
            boolean defined = g != null && !g.isNull() && g.defined();
            out.push_back(defined ? g.clamp_min(zero) : new Tensor());
        }
        return out;
    }
}
