package org.saliency4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.internal.image.TestImages;

/** {@code eval faithfulness} as a user runs it: on the demo task, on a folder with a bad image, with bad options. */
class FaithfulnessCommandTest {
    /** Few points and perturbations: the figures are the library's tests'; here, what the command makes of them. */
    private static final String[] CHEAP = {"--step", "1024", "--infidelity-samples", "4", "--json"};

    @TempDir
    Path dir;

    private static ExplainCommandTest.Run run(String... args) {
        String[] all = new String[args.length + CHEAP.length + 2];
        all[0] = "eval";
        all[1] = "faithfulness";
        System.arraycopy(args, 0, all, 2, args.length);
        System.arraycopy(CHEAP, 0, all, 2 + args.length, CHEAP.length);
        return ExplainCommandTest.run(all);
    }

    @Test
    void onTheDemoTaskEveryMethodAndReferenceGetsALinePerImageAndItsMeansWithThePointingGameAndSanity()
            throws Exception {
        Path out = dir.resolve("runs/faithfulness.jsonl");
        ExplainCommandTest.Run r = run("--samples", "2", "--methods", "vanilla,grad-cam", "--sanity-samples", "1",
                "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<JsonNode> lines = r.json();
        assertEquals(2 * 4 + 4, lines.size(), r.out());
        for (int image = 0; image < 2; image++) {
            List<String> methods = lines.subList(4 * image, 4 * image + 4).stream()
                    .map(l -> l.get("method").asText()).toList();
            assertEquals(List.of("vanilla", "grad-cam", "random", "sobel-edges"), methods);
        }
        JsonNode vanilla = lines.get(0);
        assertEquals("sample-0", vanilla.get("image").asText());
        for (String key : List.of("deletion_auc", "insertion_auc", "deletion_lerf_auc", "insertion_lerf_auc",
                "energy_in_box", "random_logit_spearman", "infidelity", "ms")) {
            assertTrue(vanilla.get(key).isNumber(), key + ": " + vanilla);
        }
        assertTrue(vanilla.get("pointing_hit").isBoolean());
        assertFalse(lines.get(3).has("random_logit_spearman"), "the edges know no class: " + lines.get(3));
        JsonNode summary = lines.get(8);
        assertTrue(summary.get("summary").asBoolean());
        assertEquals(2, summary.get("images").asInt());
        assertTrue(summary.get("sanity_top_spearman").isNumber(), summary.toString());
        assertTrue(summary.get("pointing_game").isNumber(), summary.toString());
        assertEquals("zero", summary.get("deletion_baseline").asText());
        assertTrue(lines.get(10).get("sanity_top_spearman").isNull(), "no sanity check for the random map");
        // The file holds the same lines, written whole.
        assertEquals(r.out().strip(), Files.readString(out).strip());
    }

    /** The default list leaves out, saying so, what the model cannot run; a method named is run, and fails. */
    @Test
    void theDefaultMethodsLeaveOutTheRolloutsOnACnnAndANamedRolloutFails() throws Exception {
        ExplainCommandTest.Run all = run("--samples", "1", "--sanity-samples", "0", "--masks", "16",
                "--noise-samples", "2", "--steps", "4");
        assertEquals(0, all.exit(), all.err());
        assertTrue(all.err().contains("attention-rollout left out"), all.err());
        assertTrue(all.err().contains("grad-rollout left out"), all.err());
        List<String> methods = all.json().stream().filter(l -> !l.path("summary").asBoolean())
                .map(l -> l.get("method").asText()).toList();
        assertFalse(methods.contains("attention-rollout"), methods.toString());
        assertTrue(methods.containsAll(List.of("vanilla", "score-cam", "occlusion", "rise", "smoothgrad")),
                methods.toString());
        ExplainCommandTest.Run named = run("--samples", "1", "--sanity-samples", "0", "--methods", "grad-rollout");
        assertEquals(Main.EXIT_FAILED, named.exit(), named.err());
    }

    @Test
    void aBadImageFailsAloneOneLineNamingIt() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.write(images.resolve("a.png"), TestImages.encode(TestImages.pattern(80, 70, 1), ".png"));
        Files.writeString(images.resolve("b-bad.png"), "not an image at all");
        Files.write(images.resolve("c.png"), TestImages.encode(TestImages.pattern(70, 90, 2), ".png"));
        ExplainCommandTest.Run r = run("--images", images.toString(), "--methods", "vanilla");
        assertEquals(Main.EXIT_FAILED, r.exit(), r.err());
        List<JsonNode> lines = r.json();
        assertEquals(3 + 1 + 3 + 3, lines.size(), r.out());
        JsonNode bad = lines.get(3);
        assertFalse(bad.get("ok").asBoolean());
        assertTrue(bad.get("image").asText().endsWith("b-bad.png"), bad.toString());
        assertTrue(lines.get(4).get("image").asText().endsWith("c.png"));
        assertTrue(lines.get(4).get("ok").asBoolean());
        assertFalse(lines.get(0).has("pointing_hit"), "no boxes off the demo task");
        assertEquals(2, lines.get(7).get("images").asInt(), "the summary counts the images that were read");
    }

    @Test
    void badOptionsAreRefusedBeforeAnyWork() {
        assertRefused("--methods: unknown value 'magic'", "--methods", "vanilla,magic");
        assertRefused("--step: must be 0", "--step", "-1");
        assertRefused("--step: 1 pixels per step make 4097 points on a 4096-pixel image, more than 1025", "--step",
                "1");
        assertRefused("--infidelity-samples: must be between 1 and 10000", "--infidelity-samples", "0");
        assertRefused("--samples: must be between 1 and 10000", "--samples", "0");
    }

    private static void assertRefused(String message, String... options) {
        String[] args = new String[options.length + 2];
        args[0] = "eval";
        args[1] = "faithfulness";
        System.arraycopy(options, 0, args, 2, options.length);
        ExplainCommandTest.Run r = ExplainCommandTest.run(args);
        assertEquals(Main.EXIT_USAGE, r.exit(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals("", r.out());
    }
}
