package org.saliency4j.cli;

import java.util.Locale;
import java.util.Map;
import org.saliency4j.explain.Explanation;
import org.saliency4j.Prediction;
import org.saliency4j.TargetScore;

/** The human-readable summary of one explanation, as the tutorial prints its top 5. */
final class TextReport {
    private TextReport() {
    }

    static String explanation(Explanation e, Map<String, String> written, double totalMs) {
        StringBuilder text = new StringBuilder();
        text.append(e.image()).append(String.format(Locale.ROOT, "  (%s, %.0f ms)%n", e.model().device(), totalMs));
        int rank = 1;
        for (Prediction p : e.predictions()) {
            text.append(String.format(Locale.ROOT, "  %d. %-32s %5d  %.4f%n", rank++, p.label(), p.index(),
                    p.probability()));
        }
        TargetScore t = e.target();
        text.append(String.format(Locale.ROOT, "  explained: %d %s (%s %.4f) with %s%s%n", t.index(), t.label(),
                t.score().optionName(), t.value(), e.method().spec(),
                e.method().usesLayer() ? " at layer " + e.method().layer() : ""));
        if (!Double.isNaN(e.convergenceDelta())) {
            text.append(String.format(Locale.ROOT, "  convergence delta: %.4g%s%n", e.convergenceDelta(),
                    e.integrationSteps() > 0 ? " (" + e.integrationSteps() + " steps)" : ""));
        }
        written.forEach((kind, path) -> text.append("  wrote ").append(path).append(System.lineSeparator()));
        return text.toString().stripTrailing();
    }
}
