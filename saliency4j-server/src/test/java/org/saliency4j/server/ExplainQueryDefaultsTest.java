package org.saliency4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.ModelOptions;
import org.saliency4j.Parameter;
import org.saliency4j.RenderOptions;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.models.BuiltinModels;

/** A request with no query is the library's default request and rendering; bad values name the query parameter. */
class ExplainQueryDefaultsTest {
    private static SaliencyModel model;

    @BeforeAll
    static void load() {
        model = SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults().withDevice("cpu")
                .withWarmupRuns(0));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void noQueryIsTheLibrarysDefaults() {
        ExplainQuery query = parse(Map.of());
        ExplainRequest defaults = ExplainRequest.defaults();
        ExplainRequest request = query.request();
        assertEquals(defaults.target(), request.target());
        assertEquals(defaults.score(), request.score());
        assertEquals(defaults.topK(), request.topK());
        assertEquals(defaults.reduction(), request.reduction());
        assertEquals(defaults.normalization(), request.normalization());
        // The model's own preprocessing, as on the command line.
        assertEquals(model.preprocessing(), request.preprocessing());
        assertEquals(RenderOptions.defaults(), query.render());
    }

    @Test
    void theQueryReadsEveryParameterOfTheTableItListsByItsName() {
        for (Parameter<?> parameter : ExplainQuery.PARAMETERS) {
            HttpError e = assertThrows(HttpError.class, () -> parse(Map.of(parameter.name(), " ")),
                    parameter.name());
            assertEquals(400, e.status(), e.getMessage());
            assertEquals(parameter.name() + ": ", e.getMessage().substring(0, parameter.name().length() + 2));
        }
        assertEquals("alpha: must be in [0, 1], got 2.0", assertThrows(HttpError.class,
                () -> parse(Map.of("alpha", "2"))).getMessage());
        // The service's tighter bound: top-k lists at most every class (the demo has 5), but 5 is always allowed.
        assertEquals(5, parse(Map.of("topk", "5")).request().topK());
        assertEquals("topk: must be between 1 and 5, got 6", assertThrows(HttpError.class,
                () -> parse(Map.of("topk", "6"))).getMessage());
    }

    @Test
    void baselinesAreReadAsTheLibraryReadsThemButNeverFromAFile() {
        assertEquals(parse(Map.of("method", "integrated-gradients", "baseline", "blur")).request(),
                parse(Map.of("method", "integrated-gradients", "baseline", "Blur")).request());
        HttpError file = assertThrows(HttpError.class,
                () -> parse(Map.of("method", "integrated-gradients", "baseline", "/etc/passwd")));
        assertEquals(400, file.status());
        assertEquals("baseline: unknown value '/etc/passwd' (expected zero, black, blur, uniform: a request cannot "
                + "name a file)", file.getMessage());
    }

    @Test
    void errorsQuoteTheServicesOwnBounds() {
        assertEquals("samples: must be between 1 and " + ExplainQuery.MAX_SAMPLES + ", got 0", assertThrows(
                HttpError.class, () -> parse(Map.of("method", "smoothgrad", "samples", "0"))).getMessage());
        assertEquals("steps: must be between 1 and " + ExplainQuery.MAX_STEPS + ", got 0", assertThrows(
                HttpError.class, () -> parse(Map.of("method", "integrated-gradients", "steps", "0"))).getMessage());
    }

    @Test
    void workOverTheBoundNamesWhatTheMethodsCostGrowsWith() {
        HttpError tunnel = assertThrows(HttpError.class, () -> ExplainQuery.parse(Map.of("method",
                "smoothgrad:integrated-gradients", "samples", "10", "steps", "20"), null, model, 1));
        assertEquals(400, tunnel.status());
        String message = tunnel.getMessage();
        assertTrue(message.startsWith("method=smoothgrad:integrated-gradients "
                + "samples=10 steps=20 is 201 model passes") && message.endsWith("; lower samples or steps"), message);
        // Methods whose cost falls as a parameter grows, or with the layer, say so.
        String occlusion = assertThrows(HttpError.class, () -> ExplainQuery.parse(Map.of("method", "occlusion",
                "window", "4", "stride", "1"), null, model, 1)).getMessage();
        assertTrue(occlusion.endsWith("; raise stride (at most the window) or window"), occlusion);
        String scoreCam = assertThrows(HttpError.class, () -> ExplainQuery.parse(Map.of("method", "score-cam"), null,
                model, 1)).getMessage();
        assertTrue(scoreCam.endsWith("; choose a layer of fewer channels (layer)"), scoreCam);
        String tunnelOverOcclusion = assertThrows(HttpError.class, () -> ExplainQuery.parse(Map.of("method",
                "smoothgrad:occlusion"), null, model, 1)).getMessage();
        assertTrue(tunnelOverOcclusion.endsWith("; lower samples, or raise stride (at most the window) or window"),
                tunnelOverOcclusion);
        HttpError vanilla = assertThrows(HttpError.class, () -> ExplainQuery.parse(Map.of(), null, model, 1));
        assertTrue(vanilla.getMessage().startsWith("method=vanilla is 1 model "
                + "passes") && vanilla.getMessage().endsWith("over this service's bound of 1"), vanilla.getMessage());
    }

    private static ExplainQuery parse(Map<String, String> params) {
        return ExplainQuery.parse(params, null, model, Long.MAX_VALUE);
    }
}
