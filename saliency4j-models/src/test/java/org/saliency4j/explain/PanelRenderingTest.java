package org.saliency4j.explain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.Picture;
import org.saliency4j.RenderKind;
import org.saliency4j.RenderOptions;
import org.saliency4j.models.BuiltinModels;

/**
 * The panel rendering's map panel shows the map of a real explanation with default options: the tutorial's
 * 0.3-0.7 window painted the default abs-max map, almost all under 0.3, as one flat colour.
 */
class PanelRenderingTest {
    private static SaliencyModel model;
    private static Explanation explanation;

    @BeforeAll
    static void explain() {
        model = SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults().withDevice("cpu"));
        explanation = model.explain(ImageInput.picture("sample", BuiltinModels.demoSample().image()),
                ExplainRequest.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void theDefaultMapPanelIsNotAFlatField() {
        Picture panels = explanation.render(RenderOptions.defaults().withKind(RenderKind.PANEL));
        int side = explanation.map().width();
        Map<Integer, Integer> colours = new HashMap<>();
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                colours.merge(rgb(panels, x, y), 1, Integer::sum);
            }
        }
        int commonest = colours.values().stream().max(Integer::compare).orElseThrow();
        double share = commonest / (double) (side * side);
        assertTrue(share < 0.5, "one colour covers " + share + " of the map panel");
        assertTrue(colours.size() >= 32, colours.size() + " colours in the map panel");
    }

    @Test
    void theTutorialsWindowOverTheSameMapIsTheFlatFieldThatThisAvoids() {
        // The independent check that the test above looks at a map where the fixed window fails.
        float[] values = explanation.map().toArray();
        int under = 0;
        for (float v : values) {
            under += v <= 0.3f ? 1 : 0;
        }
        assertTrue(under > 0.8 * values.length, under + " of " + values.length + " values at or under 0.3");
    }

    private static int rgb(Picture picture, int x, int y) {
        return picture.channel(x, y, 0) << 16 | picture.channel(x, y, 1) << 8 | picture.channel(x, y, 2);
    }
}
