package org.saliency4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.LayerInfo;
import org.saliency4j.ModelCard;
import org.saliency4j.ModelOptions;
import org.saliency4j.SaliencyException;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.method.Method;
import org.saliency4j.models.torch.ModuleSpec;
import org.saliency4j.models.torch.ScriptWriter;

/**
 * The architectures without PyTorch fixtures (ResNet-18, 34, 101, 152, MobileNetV3-small) against torchvision's
 * published parameter counts and naming scheme, and every architecture as {@code model build} writes it: by name,
 * with a model card, and a default Grad-CAM layer that the written forward has.
 */
class ArchitecturesTest {
    @TempDir
    Path dir;

    @Test
    void parameterCountsAreTorchvisions() {
        // torchvision's model documentation ("num_params" of each IMAGENET1K weights entry).
        Map<String, Long> torchvision = Map.ofEntries(Map.entry("resnet18", 11_689_512L),
                Map.entry("resnet34", 21_797_672L), Map.entry("resnet50", 25_557_032L),
                Map.entry("resnet101", 44_549_160L), Map.entry("resnet152", 60_192_808L),
                Map.entry("mobilenet_v3_large", 5_483_032L), Map.entry("mobilenet_v3_small", 2_542_856L),
                Map.entry("efficientnet_b0", 5_288_548L), Map.entry("convnext_tiny", 28_589_128L),
                Map.entry("vit_b_16", 86_567_656L), Map.entry("densenet121", 7_978_856L),
                Map.entry("densenet161", 28_681_000L), Map.entry("densenet169", 14_149_480L),
                Map.entry("densenet201", 20_013_928L));
        assertEquals(torchvision.keySet(), Set.copyOf(BuiltinModels.buildable().subList(1,
                BuiltinModels.buildable().size())));
        for (Architecture a : Architectures.all()) {
            assertEquals(torchvision.get(a.name()), a.spec(0).parameterCount(), a.name());
        }
    }

    @Test
    void resnetsWithBasicBlocksFollowTorchvisionsNames() {
        Map<String, int[]> shapes = ResNet.named("resnet18").spec(0).stateDictShapes();
        assertArrayEquals(new int[]{64, 64, 3, 3}, shapes.get("layer1.0.conv1.weight"));
        assertArrayEquals(new int[]{64, 64, 3, 3}, shapes.get("layer1.1.conv2.weight"));
        assertFalse(shapes.containsKey("layer1.0.downsample.0.weight"), "64 in, 64 out, stride 1: no downsampling");
        assertArrayEquals(new int[]{128, 64, 3, 3}, shapes.get("layer2.0.conv1.weight"));
        assertArrayEquals(new int[]{128, 64, 1, 1}, shapes.get("layer2.0.downsample.0.weight"));
        assertArrayEquals(new int[0], shapes.get("layer2.0.downsample.1.num_batches_tracked"));
        assertFalse(shapes.containsKey("layer1.0.conv3.weight"));
        assertArrayEquals(new int[]{1000, 512}, shapes.get("fc.weight"));
        // The stem (conv + BatchNorm), 8 blocks of 2 convolutions and 2 BatchNorms, 3 downsamplings, fc: 122.
        assertEquals(6 + 8 * 12 + 3 * 6 + 2, shapes.size());
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "bn1.num_batches_tracked", "layer1.0.conv1.weight"), shapes.keySet().stream().limit(7).toList());
        Map<String, int[]> deep = ResNet.named("resnet152").spec(0).stateDictShapes();
        assertArrayEquals(new int[]{1024, 256, 1, 1}, deep.get("layer3.35.conv3.weight"));
        assertArrayEquals(new int[]{2048, 1024, 1, 1}, deep.get("layer4.0.downsample.0.weight"));
        assertArrayEquals(new int[]{256, 64, 1, 1}, deep.get("layer1.0.downsample.0.weight"));
    }

    @Test
    void mobileNetV3SmallFollowsTorchvisionsNames() {
        Map<String, int[]> shapes = MobileNetV3.named("mobilenet_v3_small").spec(0).stateDictShapes();
        // Block 1 does not expand (16 in, 16 wide): depthwise first, then squeeze-excitation to 8, then projection.
        assertArrayEquals(new int[]{16, 1, 3, 3}, shapes.get("features.1.block.0.0.weight"));
        assertArrayEquals(new int[]{8, 16, 1, 1}, shapes.get("features.1.block.1.fc1.weight"));
        assertArrayEquals(new int[]{16, 8, 1, 1}, shapes.get("features.1.block.1.fc2.weight"));
        assertArrayEquals(new int[]{16, 16, 1, 1}, shapes.get("features.1.block.2.0.weight"));
        // Block 2 expands to 72 and has no squeeze-excitation.
        assertArrayEquals(new int[]{72, 16, 1, 1}, shapes.get("features.2.block.0.0.weight"));
        assertArrayEquals(new int[]{24, 72, 1, 1}, shapes.get("features.2.block.2.0.weight"));
        // _make_divisible(96 // 4, 8) = 24; _make_divisible(144 // 4, 8) = 40.
        assertArrayEquals(new int[]{24, 96, 1, 1}, shapes.get("features.4.block.2.fc1.weight"));
        assertArrayEquals(new int[]{40, 144, 1, 1}, shapes.get("features.8.block.2.fc1.weight"));
        assertArrayEquals(new int[]{576, 96, 1, 1}, shapes.get("features.12.0.weight"));
        assertArrayEquals(new int[]{1024, 576}, shapes.get("classifier.0.weight"));
        assertArrayEquals(new int[]{1000, 1024}, shapes.get("classifier.3.weight"));
    }

    /** torchvision's random initialisation keeps BatchNorm at 1 and 0 and draws convolutions at Kaiming's scale. */
    @Test
    void randomInitialisationIsTorchvisions() {
        ModuleSpec spec = ResNet.named("resnet18").spec(7);
        float[] conv = spec.children().get("conv1").parameters().get("weight").values().get();
        assertEquals(1f, spec.children().get("bn1").parameters().get("weight").values().get()[5]);
        double sum = 0;
        for (float v : conv) {
            sum += v * v;
        }
        // kaiming_normal_(mode="fan_out"): variance 2 / (64 * 7 * 7).
        assertEquals(2.0 / (64 * 49), sum / conv.length, 0.1 * 2.0 / (64 * 49));
        assertArrayEquals(conv, ResNet.named("resnet18").spec(7).children().get("conv1").parameters().get("weight")
                .values().get(), "a seed gives the same weights");
    }

    /** Values are made while the spec is written, one entry at a time: a ViT-B/16 never holds 344 MB on the heap. */
    @Test
    void aWeightSourceIsAskedOncePerEntryInStateDictOrderWhileWriting() {
        VisionTransformer tiny = new VisionTransformer("vit_tiny", 56, 2, 2, 8, 16);
        List<String> asked = new ArrayList<>();
        ModuleSpec spec = tiny.spec((name, shape) -> {
            asked.add(name);
            return new float[SpecBuilder.count(shape)];
        });
        assertEquals(List.of(), asked, "nothing is read before it is written");
        Map<String, String> forwards = new HashMap<>(tiny.submoduleForwards());
        forwards.put("", tiny.forward());
        ScriptWriter.save(spec, tiny.name(), forwards, null, dir.resolve("tiny.pt"));
        assertEquals(spec.stateDictNames(), asked);
        // A module's own parameters come before its children's, whatever order they were declared in.
        assertEquals(List.of("class_token", "conv_proj.weight"), asked.subList(0, 2));
    }

    @Test
    void aWrongCountFromTheSourceNamesTheEntry() {
        SaliencyException e = assertThrows(SaliencyException.class, () -> Architectures.write(ResNet.named(
                "resnet18"), (name, shape) -> new float[1], 0, dir.resolve("wrong.pt")));
        assertEquals("conv1.weight", e.input());
    }

    @Test
    void builtModelsCarryTheirCardsAndGradCamLayers() throws Exception {
        for (String name : List.of("resnet18", "mobilenet_v3_small", "efficientnet_b0")) {
            buildsWithItsCardAndLayer(name);
        }
        assertEquals(236, Architectures.named("convnext_tiny").orElseThrow().preprocessing().resize());
        assertEquals(256, EfficientNet.B0.preprocessing().resize());
        assertEquals(256, VisionTransformer.B_16.preprocessing().resize());
        assertNull(DemoModel.CARD.gradCamLayer());
    }

    /** ConvNeXt's channels-last LayerNorms must not pass for feature maps: about 15 s (28M weights drawn). */
    @Test
    @Tag("slow")
    void convNeXtBuildsWithItsCardAndLayer() throws Exception {
        buildsWithItsCardAndLayer("convnext_tiny");
    }

    private void buildsWithItsCardAndLayer(String name) throws Exception {
        Path file = dir.resolve(name + ".pt");
        BuiltinModels.build(name, file, 1, (step, loss) -> { });
        Architecture architecture = Architectures.named(name).orElseThrow();
        ModelCard card = ModelCard.read(file).orElseThrow();
        assertEquals(architecture.gradCamLayer(), card.gradCamLayer());
        assertEquals(architecture.preprocessing().resize(), card.preprocessing().resize(), name);
        assertEquals(1000, card.labels().size());
        try (SaliencyModel model = SaliencyModel.load(file, ModelOptions.defaults().withDevice("cpu")
                .withWarmupRuns(0))) {
            assertEquals(card.gradCamLayer(), model.withLayer(Method.gradCam(), 224).layer());
            // For these CNNs the card names what the rule for cards without a layer would choose.
            assertEquals(card.gradCamLayer(), LayerInfo.gradCamDefault(model.layers()).orElseThrow().name(), name);
        }
    }
}
