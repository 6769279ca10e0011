package org.saliency4j.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.saliency4j.Baseline;
import org.saliency4j.Parameter;
import org.saliency4j.SaliencyException;

/** The registry: specs parse to the records the factories make and print back, and errors name the parameter. */
class MethodsTest {
    private static final List<String> BASES = List.of("vanilla", "gradient-x-input", "integrated-gradients",
            "guided-backprop", "deconvnet", "grad-cam", "grad-cam++", "xgrad-cam", "hires-cam", "layer-cam", "eigen-cam",
            "score-cam", "ablation-cam", "guided-grad-cam", "attention-rollout", "grad-rollout", "occlusion", "rise");
    private static final List<String> TUNNELS = List.of("smoothgrad", "smoothgrad-sq", "vargrad");

    @Test
    void everySpecParsesToTheFactorysRecordAndPrintsBack() {
        assertEquals(Method.vanilla(), Method.parse("vanilla"));
        assertEquals(Method.gradientXInput(), Method.parse("gradient-x-input"));
        assertEquals(Method.integratedGradients(64), Method.parse("integrated-gradients"));
        assertEquals(Method.guidedBackprop(), Method.parse("guided-backprop"));
        assertEquals(Method.deconvnet(), Method.parse("deconvnet"));
        assertEquals(Method.gradCam(), Method.parse("grad-cam"));
        assertEquals(Method.gradCamPlusPlus(), Method.parse("grad-cam++"));
        assertEquals(Method.guidedGradCam(), Method.parse("guided-grad-cam"));
        assertEquals(Method.occlusion(16, 8), Method.parse("occlusion"));
        assertEquals(Method.rise(1000), Method.parse("rise"));
        assertEquals(Method.smoothGrad(Method.vanilla(), 50), Method.parse("smoothgrad"));
        assertEquals(Method.smoothGradSquared(Method.gradientXInput(), 50),
                Method.parse("smoothgrad-sq:gradient-x-input"));
        assertEquals(Method.varGrad(Method.integratedGradients(64), 50), Method.parse("vargrad:integrated-gradients"));
        for (String base : BASES) {
            assertEquals(base, Method.parse(base).spec());
            for (String tunnel : TUNNELS) {
                String spec = tunnel + ":" + base;
                assertEquals(base.equals("vanilla") ? tunnel : spec, Method.parse(spec).spec(), spec);
            }
        }
        // Case, '_' for '-', and the spelled-out ++ are read as before.
        assertEquals(Method.gradCamPlusPlus(), Method.parse(" GRAD_CAM_PLUS_PLUS "));
        assertEquals(Method.parse("smoothgrad:grad-cam++"), Method.parse("SmoothGrad:Grad-Cam++"));
    }

    @Test
    void eachMethodKeepsOnlyTheParametersItUses() {
        MethodSettings some = MethodSettings.defaults().with(MethodParameters.SAMPLES, 7)
                .with(MethodParameters.NOISE, 0.3).with(MethodParameters.SEED, 5L).with(MethodParameters.STEPS, 9)
                .with(MethodParameters.BASELINE, Baseline.parse("uniform")).with(MethodParameters.LAYER, "features.norm5");
        assertEquals(Method.vanilla(), Methods.parse("vanilla", some));
        assertEquals(Method.gradCam("features.norm5"), Methods.parse("grad-cam", some));
        assertEquals(Method.integratedGradients(9, Baseline.uniform(5)), Methods.parse("integrated-gradients", some));
        assertEquals(new Occlusion(16, 8, Baseline.uniform(5)), Methods.parse("occlusion", some));
        assertEquals(new Rise(1000, 7, 0.5, Baseline.uniform(5), 5), Methods.parse("rise", some));
        assertEquals(new Occlusion(4, 2, Baseline.zero()), Methods.parse("occlusion", MethodSettings.defaults()
                .with(MethodParameters.WINDOW, 4).with(MethodParameters.STRIDE, 2)));
        assertEquals(new Rise(20, 5, 0.25, Baseline.zero(), 0), Methods.parse("rise", MethodSettings.defaults()
                .with(MethodParameters.MASKS, 20).with(MethodParameters.CELLS, 5).with(MethodParameters.KEEP, 0.25)));
        assertEquals(new NoiseTunnel(NoiseTunnel.Kind.VARGRAD, Method.guidedGradCam("features.norm5"), 7, 0.3, 5),
                Methods.parse("vargrad:guided-grad-cam", some));
        // The seed is the uniform baseline's alone: other baselines start from the same point whatever it is.
        assertNotEquals(Baseline.uniform(1), Baseline.uniform(2));
        assertEquals(Baseline.zero(), Baseline.zero().withSeed(3));
    }

    @Test
    void recordsSayWhatTheyNeed() {
        assertTrue(Method.gradCam().layerAtInput());
        assertFalse(Method.smoothGrad(Method.gradCam(), 5).layerAtInput(), "the tunnel weighs layers at copies only");
        assertTrue(Method.smoothGrad(Method.gradCam(), 5).usesLayer());
        assertEquals("norm4", Method.smoothGrad(Method.gradCam(), 5).withLayer("norm4").layer());
        assertEquals(Method.vanilla(), Method.vanilla().withLayer("norm4"));
        assertEquals(ReluRule.GUIDED, Method.guidedGradCam().relu());
        assertEquals(ReluRule.DECONVNET, Method.smoothGrad(Method.deconvnet(), 3).relu());
        assertEquals(Baseline.uniform(4), Method.varGrad(Method.integratedGradients(8, Baseline.uniform(4)), 3)
                .reference().orElseThrow());
        assertTrue(Method.vanilla().reference().isEmpty());
        assertEquals(1, Method.gradCamPlusPlus().channels());
        assertEquals(1, Method.smoothGrad(Method.gradCam(), 3).channels());
        assertEquals(3, Method.guidedGradCam().channels());
        assertEquals(1, Method.occlusion(8, 4).channels(), "a window hides all three channels: one plane");
        assertEquals(1, Method.smoothGrad(Method.rise(10), 3).channels());
        assertEquals(Baseline.zero(), Method.occlusion(8, 4).reference().orElseThrow());
        assertEquals(Map.of("masks", 10), Method.rise(10).costParameters());
        assertTrue(Method.integratedGradients(4).reportsConvergenceDelta());
        assertFalse(Method.smoothGrad(Method.integratedGradients(4), 3).reportsConvergenceDelta());
        for (Methods.Info info : Methods.all()) {
            Method method = Method.parse(info.name());
            assertEquals(method.usesLayer(), info.usesLayer(), info.name());
            assertEquals(method instanceof NoiseTunnel, info.noiseTunnel(), info.name());
        }
    }

    @Test
    void theRolloutsParseAndSayWhatOfTheAttentionTheyRead() {
        assertEquals(Method.attentionRollout(), Method.parse("attention-rollout"));
        assertEquals(new AttentionRollout(HeadFusion.MAX), Methods.parse("attention-rollout",
                MethodSettings.defaults().with(MethodParameters.HEAD_FUSION, HeadFusion.MAX)));
        assertEquals(Method.gradientRollout(), Method.parse("grad-rollout"));
        assertEquals(AttentionTaps.PROBABILITIES, Method.attentionRollout().attentionTaps());
        assertEquals(AttentionTaps.PROBABILITIES_AND_GRADIENTS, Method.gradientRollout().attentionTaps());
        assertTrue(Method.gradientRollout().attentionAtInput());
        Method tunnel = Method.smoothGrad(Method.gradientRollout(), 4);
        assertEquals(AttentionTaps.PROBABILITIES_AND_GRADIENTS, tunnel.attentionTaps());
        assertFalse(tunnel.attentionAtInput(), "the tunnel rolls out attention at copies only");
        assertEquals(1, tunnel.channels());
        assertFalse(Method.attentionRollout().usesLayer());
        assertEquals(AttentionTaps.NONE, Method.gradCam().attentionTaps());
        SaliencyException fusion = assertThrows(SaliencyException.class,
                () -> MethodParameters.HEAD_FUSION.parse("median"));
        assertEquals("head-fusion", fusion.input());
        assertTrue(fusion.getMessage().contains("mean, max, min"), fusion.getMessage());
    }

    @Test
    void errorsNameTheParameterNeutrallyAndListTheChoices() {
        SaliencyException unknown = assertThrows(SaliencyException.class, () -> Method.parse("gradcam"));
        assertEquals("method", unknown.input());
        assertTrue(unknown.getMessage().contains("expected one of: " + String.join(", ", BASES) + ", "
                + String.join(", ", TUNNELS)), unknown.getMessage());
        assertTrue(assertThrows(SaliencyException.class, () -> Method.parse("grad-cam:vanilla")).getMessage()
                .contains("only smoothgrad, smoothgrad-sq and vargrad take a base method, not grad-cam"));
        assertTrue(assertThrows(SaliencyException.class, () -> Method.parse("smoothgrad:vargrad")).getMessage()
                .contains("a noise tunnel cannot wrap another (vargrad)"));
        assertTrue(assertThrows(SaliencyException.class, () -> Method.smoothGrad(Method.varGrad(Method.vanilla(),
                2), 2)).getMessage().contains("a noise tunnel cannot wrap another (vargrad)"));
        assertEquals("samples", assertThrows(SaliencyException.class, () -> Method.smoothGrad(Method.vanilla(), 0))
                .input());
        assertEquals("noise", assertThrows(SaliencyException.class, () -> Method.smoothGrad(Method.vanilla(), 2)
                .withNoise(101)).input());
        assertEquals("steps", assertThrows(SaliencyException.class, () -> Method.integratedGradients(10_001)).input());
        assertEquals("layer", assertThrows(SaliencyException.class, () -> Method.gradCam("a..b")).input());
        assertEquals("masks", assertThrows(SaliencyException.class, () -> Method.rise(0)).input());
        assertEquals("keep: must be in [0.01, 1], got 0.0", assertThrows(SaliencyException.class,
                () -> MethodSettings.parse(Map.of("keep", "0")::get, Map.of())).getMessage());
        assertEquals("cells", assertThrows(SaliencyException.class,
                () -> MethodSettings.defaults().with(MethodParameters.CELLS, 65)).input());
        // A bad value is an error even where the method does not use it.
        assertEquals("steps", assertThrows(SaliencyException.class,
                () -> MethodSettings.defaults().with(MethodParameters.STEPS, -1)).input());
        // Steps are a count or auto (read as AUTO_STEPS); a typed 0 is neither.
        assertEquals("steps: must be between 1 and 10000, got 0", assertThrows(SaliencyException.class,
                () -> MethodSettings.parse(Map.of("steps", "0")::get, Map.of())).getMessage());
        assertEquals(IntegratedGradients.AUTO_STEPS, MethodSettings.parse(Map.of("steps", "auto")::get, Map.of())
                .get(MethodParameters.STEPS));
        assertEquals("layer", assertThrows(SaliencyException.class,
                () -> MethodSettings.defaults().with(MethodParameters.LAYER, "a..b")).input());
        SaliencyException capped = assertThrows(SaliencyException.class,
                () -> MethodSettings.parse(Map.of("samples", "300")::get, Map.of(MethodParameters.SAMPLES, 256)));
        assertEquals("samples: must be between 1 and 256, got 300", capped.getMessage());
        assertEquals("noise: not a number: 'lots'", assertThrows(SaliencyException.class,
                () -> MethodSettings.parse(Map.of("noise", "lots")::get, Map.of())).getMessage());
    }

    @Test
    void theDefaultsAreTheParameterTablesOwn() {
        MethodSettings defaults = MethodSettings.defaults();
        assertEquals(50, defaults.get(MethodParameters.SAMPLES));
        assertEquals(0.15, defaults.get(MethodParameters.NOISE));
        assertEquals(0L, defaults.get(MethodParameters.SEED));
        assertEquals(64, defaults.get(MethodParameters.STEPS));
        assertEquals(Quadrature.MIDPOINT, defaults.get(MethodParameters.INTEGRATION));
        assertEquals(Baseline.zero(), defaults.get(MethodParameters.BASELINE));
        assertEquals(HeadFusion.MEAN, defaults.get(MethodParameters.HEAD_FUSION));
        assertNull(defaults.get(MethodParameters.LAYER), "the model's default layer");
        assertEquals(16, defaults.get(MethodParameters.WINDOW));
        assertEquals(8, defaults.get(MethodParameters.STRIDE));
        assertEquals(1000, defaults.get(MethodParameters.MASKS));
        assertEquals(7, defaults.get(MethodParameters.CELLS));
        assertEquals(0.5, defaults.get(MethodParameters.KEEP));
        assertEquals(List.of("method", "samples", "noise", "seed", "steps", "tolerance", "max-steps", "integration",
                "baseline", "head-fusion", "layer", "window", "stride", "masks", "cells", "keep"),
                MethodParameters.all().stream().map(Parameter::name).toList());
    }
}
