package org.saliency4j.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.saliency4j.Baseline;
import org.saliency4j.Parameter;

/**
 * Path-integrated gradients from a baseline to the input (Sundararajan et al., 2017), with a fixed number of steps
 * or, for {@link #AUTO_STEPS}, steps doubled from {@value #FIRST_AUTO_STEPS} until the convergence delta is within
 * {@code tolerance} of |f(input) - f(baseline)| or {@code maxSteps} are reached.
 *
 * @param steps      integration steps: the gradients taken along the path; {@link #AUTO_STEPS} to choose them
 * @param baseline   the integration's starting point
 * @param quadrature where along the path the gradients are taken and how much each counts
 * @param tolerance  with automatic steps: the |convergence delta| accepted, as a fraction of |f(x) - f(x')|
 * @param maxSteps   with automatic steps: the most steps tried
 */
public record IntegratedGradients(int steps, Baseline baseline, Quadrature quadrature, double tolerance,
                                  int maxSteps) implements Method {
    /** Steps chosen by convergence: {@code steps=auto}. */
    public static final int AUTO_STEPS = Parameter.AUTO_COUNT;
    /** Where automatic steps start: the delta of fewer is rarely within a useful tolerance. */
    public static final int FIRST_AUTO_STEPS = 16;

    /** Fixed steps ignore the tolerance and the cap, which are then kept at their defaults (equal methods). */
    public IntegratedGradients {
        MethodParameters.STEPS.check(steps);
        MethodParameters.TOLERANCE.check(tolerance);
        MethodParameters.MAX_STEPS.check(maxSteps);
        if (baseline == null || quadrature == null) {
            throw new IllegalArgumentException("baseline and quadrature are required");
        }
        if (steps != AUTO_STEPS) {
            tolerance = MethodParameters.TOLERANCE.defaultValue();
            maxSteps = MethodParameters.MAX_STEPS.defaultValue();
        }
    }

    /** With the default rule, {@link MethodParameters#INTEGRATION}'s. */
    public IntegratedGradients(int steps, Baseline baseline) {
        this(steps, baseline, MethodParameters.INTEGRATION.defaultValue());
    }

    /** With the default tolerance and cap for automatic steps. */
    public IntegratedGradients(int steps, Baseline baseline, Quadrature quadrature) {
        this(steps, baseline, quadrature, MethodParameters.TOLERANCE.defaultValue(),
                MethodParameters.MAX_STEPS.defaultValue());
    }

    public IntegratedGradients withQuadrature(Quadrature value) {
        return new IntegratedGradients(steps, baseline, value, tolerance, maxSteps);
    }

    /** The step counts tried in turn: the fixed count, or the doubling schedule up to the cap. */
    public List<Integer> schedule() {
        if (steps != AUTO_STEPS) {
            return List.of(steps);
        }
        List<Integer> counts = new ArrayList<>();
        for (int n = Math.min(FIRST_AUTO_STEPS, maxSteps); ; n = Math.min(2 * n, maxSteps)) {
            counts.add(n);
            if (n == maxSteps) {
                return counts;
            }
        }
    }

    /** The first pass, every count of the schedule (at most), then the input and the baseline scored for the delta. */
    @Override
    public long passes(Workload workload) {
        return 1 + pathPasses() + 2L;
    }

    /** A copy's path, and, when the steps are chosen by its delta, its ends scored for that delta. */
    @Override
    public long passesPerCopy(Workload workload) {
        return pathPasses() + (steps == AUTO_STEPS ? 2 : 0);
    }

    private long pathPasses() {
        return schedule().stream().mapToLong(Integer::longValue).sum();
    }

    @Override
    public boolean reportsConvergenceDelta() {
        return true;
    }

    @Override
    public Optional<Baseline> reference() {
        return Optional.of(baseline);
    }

    @Override
    public Map<String, Number> costParameters() {
        return steps == AUTO_STEPS ? Map.of(MethodParameters.MAX_STEPS.name(), maxSteps)
                : Map.of(MethodParameters.STEPS.name(), steps);
    }
}
