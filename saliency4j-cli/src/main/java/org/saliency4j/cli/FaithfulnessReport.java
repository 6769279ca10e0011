package org.saliency4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import org.saliency4j.eval.Faithfulness;
import org.saliency4j.eval.FaithfulnessSummary;

/**
 * {@code eval faithfulness}'s output: a JSON line per image and map, a JSON line per method's means, and the
 * summary as a Markdown table. A figure that was not measured is {@code null} in JSON (JSON has no NaN) and a
 * dash in the table.
 */
final class FaithfulnessReport {
    /** The sanity check's rank correlations: with the classifier re-drawn, and with every layer re-drawn. */
    record Sanity(double top, double all) {
        static final Sanity NONE = new Sanity(Double.NaN, Double.NaN);
    }

    private final ObjectMapper mapper = new ObjectMapper();

    String row(Faithfulness.Row r) {
        ObjectNode root = mapper.createObjectNode();
        root.put("image", r.image()).put("method", r.method()).put("ok", r.ok()).put("target", r.target());
        if (!r.ok()) {
            root.put("error", r.error());
            return write(root);
        }
        number(root, "deletion_auc", r.curves().deletion().area());
        number(root, "insertion_auc", r.curves().insertion().area());
        number(root, "deletion_lerf_auc", r.curves().deletionLerf().area());
        number(root, "insertion_lerf_auc", r.curves().insertionLerf().area());
        if (r.pointingHit() != null) {
            root.put("pointing_hit", r.pointingHit());
            number(root, "energy_in_box", r.energyInBox());
        }
        if (r.otherClass() >= 0) {
            root.put("other_class", r.otherClass());
            number(root, "random_logit_spearman", r.randomLogit());
        }
        number(root, "infidelity", r.infidelity());
        root.put("passes", r.passes());
        number(root, "ms", r.ms());
        return write(root);
    }

    /** An image that failed before any method ran: its file, its decoding. */
    String failure(String image, String message) {
        return JsonRecords.failure(mapper, image, message);
    }

    String summary(FaithfulnessSummary.Line line, Sanity sanity, Map<String, Object> settings) {
        ObjectNode root = mapper.createObjectNode();
        root.put("summary", true).put("method", line.method()).put("images", line.images())
                .put("failures", line.failures());
        number(root, "deletion_auc", line.deletion());
        number(root, "insertion_auc", line.insertion());
        number(root, "deletion_lerf_auc", line.deletionLerf());
        number(root, "insertion_lerf_auc", line.insertionLerf());
        number(root, "pointing_game", line.pointingGame());
        number(root, "energy_in_box", line.energyInBox());
        number(root, "sanity_top_spearman", sanity.top());
        number(root, "sanity_all_spearman", sanity.all());
        number(root, "random_logit_spearman", line.randomLogit());
        number(root, "infidelity", line.infidelity());
        number(root, "passes", line.passes());
        number(root, "ms", line.ms());
        settings.forEach((key, value) -> root.putPOJO(key, value));
        return write(root);
    }

    static String tableHeader() {
        return "| method | deletion AUC (lower is better) | insertion AUC (higher) | deletion, LeRF | insertion, LeRF "
                + "| pointing game | sanity: classifier / all re-drawn | random-logit rank corr. | infidelity "
                + "| passes | ms |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";
    }

    static String tableRow(FaithfulnessSummary.Line l, Sanity s) {
        String sanity = Double.isNaN(s.top()) ? "-" : fixed(s.top()) + " / " + fixed(s.all());
        String failed = l.failures() > 0 ? " (" + l.failures() + " of " + l.images() + " failed)" : "";
        return String.format(Locale.ROOT, "| %s%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", l.method(),
                failed, fixed(l.deletion()), fixed(l.insertion()), fixed(l.deletionLerf()), fixed(l.insertionLerf()),
                fixed(l.pointingGame()), sanity, fixed(l.randomLogit()), Double.isNaN(l.infidelity()) ? "-"
                        : String.format(Locale.ROOT, "%.3g", l.infidelity()),
                Double.isNaN(l.passes()) || l.passes() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", l.passes()),
                Double.isNaN(l.ms()) ? "-" : String.format(Locale.ROOT, "%.1f", l.ms()));
    }

    private static String fixed(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static void number(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }

    private String write(ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers always serialises", e);
        }
    }
}
