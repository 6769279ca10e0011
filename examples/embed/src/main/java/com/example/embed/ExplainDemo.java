package com.example.embed;

import java.io.IOException;
import org.saliency4j.io.PictureEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.saliency4j.explain.ExplainRequest;
import org.saliency4j.explain.Explanation;
import org.saliency4j.ImageInput;
import org.saliency4j.ModelOptions;
import org.saliency4j.RenderOptions;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.models.BuiltinModels;

/**
 * Explains one image with saliency4j in-process, as a Java service would: load the model once, explain, render,
 * close. Arguments: [OUT.png [IMAGE]]; with none, embed-demo-saliency.png from the demo task's sample image.
 */
public final class ExplainDemo {
    private ExplainDemo() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "embed-demo-saliency.png");
        ImageInput image = args.length > 1 ? ImageInput.file(Path.of(args[1]))
                : ImageInput.picture("demo-sample", BuiltinModels.demoSample().image());
        try (SaliencyModel model = SaliencyModel.load(BuiltinModels.demoFile(), ModelOptions.defaults()
                .withName("demo"))) {
            Explanation explanation = model.explain(image, ExplainRequest.defaults());
            Files.write(out, PictureEncoder.png(explanation.render(RenderOptions.defaults())));
            System.out.printf("%s: %s (p=%.3f), saliency map written to %s%n", explanation.image(),
                    explanation.target().label(), explanation.predictions().get(0).probability(), out);
        }
    }
}
