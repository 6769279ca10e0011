package org.saliency4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelCard;
import org.saliency4j.ModelOptions;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.Target;
import org.saliency4j.eval.PointingGame;
import org.saliency4j.method.Method;

class DemoModelTest {
    @TempDir
    Path dir;

    @Test
    void theEmbeddedModelCarriesItsCardAndClassifiesFreshImages() {
        Path file = BuiltinModels.demoFile();
        assertEquals(DemoModel.CARD, ModelCard.read(file).orElseThrow());
        try (SaliencyModel model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu"))) {
            assertEquals(ShapesTask.LABELS, model.labels().names());
            assertEquals(DemoModel.PREPROCESSING, model.preprocessing());
            PointingGame.Result r = PointingGame.run(model, Method.vanilla(), 31, 300);
            assertTrue(r.accuracy() >= 0.95, "accuracy " + r.accuracy());
            assertTrue(r.pointingGame() >= 0.85, "pointing game " + r.pointingGame());
            assertTrue(r.energyInBox() > 2 * r.chanceEnergy(), "energy " + r.energyInBox() + " vs " + r.chanceEnergy());
        }
    }

    /**
     * A request that names no preprocessing gets the model's own, from its card: the demo model's 64x64 stretch,
     * not torchvision's resize-and-crop to 224 (with which this model called the sample star a cross).
     */
    @Test
    void theDefaultRequestPreprocessesAsTheModelWasTrained() {
        try (SaliencyModel model = SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults()
                .withDevice("cpu"))) {
            ImageInput sample = ImageInput.picture("sample", BuiltinModels.demoSample().image());
            Explanation byDefault = model.explain(sample, ExplainRequest.defaults());
            Explanation explicit = model.explain(sample, ExplainRequest.defaults()
                    .withPreprocessing(DemoModel.PREPROCESSING));
            assertArrayEquals(explicit.input().toArray(), byDefault.input().toArray());
            assertArrayEquals(new int[]{3, ShapesTask.SIZE, ShapesTask.SIZE}, byDefault.input().shape());
            assertEquals(explicit.predictions(), byDefault.predictions());
            assertEquals("star", byDefault.predictions().get(0).label());
        }
    }

    /** An input size given at load is the one the model's own preprocessing prepares images at. */
    @Test
    void anInputSizeGivenAtLoadIsTheModelsPreprocessingSize() {
        try (SaliencyModel model = SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults()
                .withDevice("cpu").withInputSize(48).withWarmupRuns(0))) {
            assertEquals(48, model.info().inputSize());
            assertEquals(48, model.preprocessing().size());
            Explanation e = model.explain(ImageInput.picture("sample", BuiltinModels.demoSample().image()),
                    ExplainRequest.defaults());
            assertArrayEquals(new int[]{3, 48, 48}, e.input().shape());
        }
    }

    @Test
    void theSampleImageIsAStarTheModelRecognises() {
        try (SaliencyModel model = SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults().withDevice("cpu"))) {
            ExplainRequest request = ExplainRequest.defaults().withPreprocessing(model.preprocessing());
            int label = BuiltinModels.demoSample().label();
            assertEquals("star", ShapesTask.LABELS.get(label));
            assertEquals(label, model.explain(ImageInput.picture("s", BuiltinModels.demoSample().image()), request)
                    .target().index());
        }
    }

    @Test
    void trainingIsReproducible() {
        List<Float> first = new ArrayList<>();
        List<Float> second = new ArrayList<>();
        Path a = dir.resolve("a.pt");
        Path b = dir.resolve("b.pt");
        DemoModel.build(a, 9, 6, (step, loss) -> first.add(loss));
        DemoModel.build(b, 9, 6, (step, loss) -> second.add(loss));
        assertEquals(6, first.size());
        assertEquals(first, second, "same seed, same losses");
        try (SaliencyModel ma = SaliencyModel.load(a, ModelOptions.defaults().withDevice("cpu"));
             SaliencyModel mb = SaliencyModel.load(b, ModelOptions.defaults().withDevice("cpu"))) {
            ExplainRequest request = ExplainRequest.defaults().withPreprocessing(ma.preprocessing())
                    .withTarget(Target.index(2));
            ImageInput image = ImageInput.picture("s", new ShapesTask(1).sample(0).image());
            assertArrayEquals(ma.explain(image, request).gradient().toArray(), mb.explain(image, request).gradient().toArray());
        }
    }
}
