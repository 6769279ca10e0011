package org.saliency4j.method;

import java.util.Map;
import java.util.Optional;
import org.saliency4j.Baseline;

/**
 * Path-integrated gradients from a baseline to the input (Sundararajan et al., 2017), midpoint rule.
 *
 * @param steps    integration steps
 * @param baseline the integration's starting point
 */
public record IntegratedGradients(int steps, Baseline baseline) implements Method {

    public IntegratedGradients {
        MethodParameters.STEPS.check(steps);
        if (baseline == null) {
            throw new IllegalArgumentException("baseline is required");
        }
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
