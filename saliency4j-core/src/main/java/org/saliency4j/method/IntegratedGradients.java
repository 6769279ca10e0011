package org.saliency4j.method;

import java.util.Map;
import java.util.Optional;
import org.saliency4j.Baseline;

/**
 * Path-integrated gradients from a baseline to the input (Sundararajan et al., 2017).
 *
 * @param steps      integration steps: the gradients taken along the path
 * @param baseline   the integration's starting point
 * @param quadrature where along the path the gradients are taken and how much each counts
 */
public record IntegratedGradients(int steps, Baseline baseline, Quadrature quadrature) implements Method {

    public IntegratedGradients {
        MethodParameters.STEPS.check(steps);
        if (baseline == null || quadrature == null) {
            throw new IllegalArgumentException("baseline and quadrature are required");
        }
    }

    /** With the default rule, {@link MethodParameters#INTEGRATION}'s. */
    public IntegratedGradients(int steps, Baseline baseline) {
        this(steps, baseline, MethodParameters.INTEGRATION.defaultValue());
    }

    public IntegratedGradients withQuadrature(Quadrature value) {
        return new IntegratedGradients(steps, baseline, value);
    }

    /** The path points, then the input and the baseline scored for the convergence delta. */
    @Override
    public long passes() {
        return 1 + steps + 2L;
    }

    @Override
    public long passesPerCopy() {
        return steps;
    }

    @Override
    public boolean reportsConvergenceDelta() {
        return true;
    }

    @Override
    public Optional<Baseline> integrationBaseline() {
        return Optional.of(baseline);
    }

    @Override
    public Map<String, Number> costParameters() {
        return Map.of(MethodParameters.STEPS.name(), steps);
    }
}
