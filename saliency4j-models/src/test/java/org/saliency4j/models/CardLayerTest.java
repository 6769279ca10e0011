package org.saliency4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelCard;
import org.saliency4j.ModelOptions;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.internal.image.TestImages;
import org.saliency4j.method.Method;
import org.saliency4j.models.torch.ScriptWriter;

/** Grad-CAM's default layer is the model card's when it names one, the last spatial layer otherwise. */
class CardLayerTest {
    @TempDir
    Path dir;

    @Test
    void gradCamTakesTheCardsLayerUnlessTheRequestNamesOne() throws Exception {
        DenseNet net = DenseNet.named("densenet121");
        Architecture densenet = Architectures.named("densenet121").orElseThrow();
        assertEquals("features.norm5", densenet.card().gradCamLayer(), "torchvision's DenseNet Grad-CAM layer");
        Path file = dir.resolve("carded.pt");
        // Not the last spatial layer (features.norm5), so that the card's choice is told from the default's.
        ScriptWriter.save(net.spec(2), net.name(), net.forward(),
                densenet.card().withGradCamLayer("features.transition3.conv"), file);
        assertEquals("features.transition3.conv", ModelCard.read(file).orElseThrow().gradCamLayer());
        try (SaliencyModel model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu")
                .withInputSize(64).withWarmupRuns(0))) {
            ImageInput image = ImageInput.bytes("p.png", TestImages.encode(TestImages.pattern(80, 70, 2), ".png"));
            ExplainRequest request = ExplainRequest.defaults().withPreprocessing(model.preprocessing());
            Explanation carded = model.explain(image, request.withMethod(Method.gradCam()));
            assertEquals("features.transition3.conv", carded.method().layer());
            Explanation named = model.explain(image, request.withMethod(Method.gradCam("features.norm5")));
            assertEquals("features.norm5", named.method().layer());
        }
    }
}
