package org.saliency4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The means of {@link Faithfulness} rows per method (and per reference map), in the order they first came. */
public final class FaithfulnessSummary {

    /**
     * One method's means over the images where it did not fail; NaN where no image measured a figure.
     *
     * @param images       images it was evaluated on, failures included
     * @param failures     images where it failed
     * @param pointingGame the share of maps whose maximum fell in the box (the demo task only)
     */
    public record Line(String method, int images, int failures, double deletion, double deletionLerf,
                       double insertion, double insertionLerf, double pointingGame, double energyInBox,
                       double randomLogit, double infidelity, double passes, double ms) {
    }

    private final Map<String, Sums> sums = new LinkedHashMap<>();

    public void add(Faithfulness.Row row) {
        sums.computeIfAbsent(row.method(), m -> new Sums()).add(row);
    }

    public List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        sums.forEach((method, s) -> lines.add(s.line(method)));
        return lines;
    }

    /** A mean that skips what was not measured (NaN). */
    private static final class Mean {
        private double sum;
        private int count;

        void add(double value) {
            if (!Double.isNaN(value)) {
                sum += value;
                count++;
            }
        }

        double value() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }

    private static final class Sums {
        private int images;
        private int failures;
        private final Mean deletion = new Mean();
        private final Mean deletionLerf = new Mean();
        private final Mean insertion = new Mean();
        private final Mean insertionLerf = new Mean();
        private final Mean pointing = new Mean();
        private final Mean energy = new Mean();
        private final Mean randomLogit = new Mean();
        private final Mean infidelity = new Mean();
        private final Mean passes = new Mean();
        private final Mean ms = new Mean();

        void add(Faithfulness.Row row) {
            images++;
            if (!row.ok()) {
                failures++;
                return;
            }
            deletion.add(row.curves().deletion().area());
            deletionLerf.add(row.curves().deletionLerf().area());
            insertion.add(row.curves().insertion().area());
            insertionLerf.add(row.curves().insertionLerf().area());
            pointing.add(row.pointingHit() == null ? Double.NaN : row.pointingHit() ? 1 : 0);
            energy.add(row.energyInBox());
            randomLogit.add(row.randomLogit());
            infidelity.add(row.infidelity());
            passes.add(row.passes());
            ms.add(row.ms());
        }

        Line line(String method) {
            return new Line(method, images, failures, deletion.value(), deletionLerf.value(), insertion.value(),
                    insertionLerf.value(), pointing.value(), energy.value(), randomLogit.value(), infidelity.value(),
                    passes.value(), ms.value());
        }
    }
}
