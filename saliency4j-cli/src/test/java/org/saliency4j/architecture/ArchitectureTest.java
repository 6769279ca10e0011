package org.saliency4j.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.saliency4j.ExplainRequest;
import org.saliency4j.SaliencyModel;
import org.saliency4j.method.Method;
import org.saliency4j.method.MethodSettings;
import org.saliency4j.method.Methods;

/**
 * The boundaries between saliency4j's packages, checked over the main classes of every module (this module's test
 * class path holds them all; the core's test helpers are left out).
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("org.saliency4j");

    /** The packages that drive libtorch or OpenCV: the engine, image processing, and TorchScript written from Java. */
    private static final String[] NATIVE_PACKAGES = {"org.saliency4j.internal.torch..", "org.saliency4j.internal.image..",
            "org.saliency4j.models.torch.."};

    @Test
    void javacppTypesStayInTheEngineAndImagePackages() {
        noClasses().that().resideOutsideOfPackages(NATIVE_PACKAGES)
                .should().dependOnClassesThat().resideInAPackage("org.bytedeco..")
                .because("the public API speaks Java types; JavaCPP stays inside the engine")
                .check(CLASSES);
    }

    @Test
    void theLibraryModulesKnowNothingOfTheApplications() {
        noClasses().that().resideOutsideOfPackages("org.saliency4j.server..", "org.saliency4j.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("org.saliency4j.server..", "org.saliency4j.cli..",
                        "org.eclipse.jetty..", "picocli..", "io.prometheus..", "me.tongfei..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("org.saliency4j.server..")
                .should().dependOnClassesThat().resideInAPackage("org.saliency4j.cli..")
                .check(CLASSES);
    }

    /**
     * The methods call the engine through the small interfaces of their own package ({@code ScoreGradients},
     * {@code LayerGradients}), which the engine implements; they never import it, nor image processing.
     */
    @Test
    void methodAlgorithmsDoNotDependOnTheEngine() {
        noClasses().that().resideInAPackage("org.saliency4j.method..")
                .should().dependOnClassesThat().resideInAnyPackage("org.saliency4j.internal.torch..", "org.saliency4j.internal.image..")
                .check(CLASSES);
    }

    /**
     * A request travels one way: the engine computes gradients for the inputs, targets and ReLU rule it is given,
     * and never sees a request or a method (what a pass computes is decided by the method's declared needs, above it).
     */
    @Test
    void theEngineNeverSeesARequestOrAMethod() {
        noClasses().that().resideInAPackage("org.saliency4j.internal.torch..")
                .should().dependOnClassesThat(JavaClass.Predicates.assignableTo(Method.class)
                        .or(JavaClass.Predicates.equivalentTo(Methods.class))
                        .or(JavaClass.Predicates.equivalentTo(MethodSettings.class))
                        .or(JavaClass.Predicates.equivalentTo(ExplainRequest.class))
                        .or(JavaClass.Predicates.equivalentTo(SaliencyModel.class)))
                .check(CLASSES);
    }

    /** Image processing is a leaf beside the engine: it knows neither the engine nor the methods. */
    @Test
    void imageProcessingKnowsNeitherTheEngineNorTheMethods() {
        noClasses().that().resideInAPackage("org.saliency4j.internal.image..")
                .should().dependOnClassesThat().resideInAnyPackage("org.saliency4j.internal.torch..", "org.saliency4j.method..")
                .check(CLASSES);
    }

    @Test
    void theCoreDoesNotDependOnTheModels() {
        noClasses().that().resideInAnyPackage("org.saliency4j", "org.saliency4j.internal.torch..", "org.saliency4j.internal.image..",
                        "org.saliency4j.method..", "org.saliency4j.io..")
                .should().dependOnClassesThat().resideInAnyPackage("org.saliency4j.models..", "org.saliency4j.eval..")
                .check(CLASSES);
    }

    /**
     * The packages that still depend on each other in a circle, all through the top-level package: it holds both the
     * value types the engine, the methods and image processing use, and {@code SaliencyModel}, which uses them. Not
     * yet removed (see the README's layout section); this list may only shrink.
     */
    private static final Set<Set<String>> KNOWN_CYCLES = Set.of(Set.of("org.saliency4j", "org.saliency4j.internal.image",
            "org.saliency4j.method", "org.saliency4j.internal.torch"));

    /**
     * No package cycles but the known ones: the strongly connected sets of packages (those whose packages all reach
     * each other through dependencies) are exactly {@link #KNOWN_CYCLES}. A new cycle, or a package joining the
     * known one, fails; so does removing one, so that the list is kept to what remains.
     */
    @Test
    void packagesFormNoCyclesButTheKnownOnes() {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (JavaClass javaClass : CLASSES) {
            String from = javaClass.getPackageName();
            uses.computeIfAbsent(from, p -> new TreeSet<>());
            for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                String to = dependency.getTargetClass().getPackageName();
                if (to.startsWith("org.saliency4j") && !to.equals(from)) {
                    uses.get(from).add(to);
                }
            }
        }
        assertEquals(KNOWN_CYCLES, Cycles.of(uses), "package cycles");
    }

    @Test
    void theCycleSearchFindsEveryCycleAndNothingElse() {
        assertEquals(Set.of(Set.of("a", "b", "c"), Set.of("x", "y")), Cycles.of(Map.of("a", Set.of("b"), "b",
                Set.of("c", "x"), "c", Set.of("a"), "d", Set.of("a"), "x", Set.of("y"), "y", Set.of("x"))));
        assertEquals(Set.of(), Cycles.of(Map.of("a", Set.of("b", "c"), "b", Set.of("c"), "c", Set.of())));
    }
}
