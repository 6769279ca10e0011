package org.saliency4j.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
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
    private static final String[] NATIVE_PACKAGES = {"org.saliency4j.torch..", "org.saliency4j.image..",
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
                .should().dependOnClassesThat().resideInAnyPackage("org.saliency4j.torch..", "org.saliency4j.image..")
                .check(CLASSES);
    }

    /**
     * A request travels one way: the engine computes gradients for the inputs, targets and ReLU rule it is given,
     * and never sees a request or a method (what a pass computes is decided by the method's declared needs, above it).
     */
    @Test
    void theEngineNeverSeesARequestOrAMethod() {
        noClasses().that().resideInAPackage("org.saliency4j.torch..")
                .should().dependOnClassesThat(JavaClass.Predicates.assignableTo(Method.class)
                        .or(JavaClass.Predicates.equivalentTo(Methods.class))
                        .or(JavaClass.Predicates.equivalentTo(MethodSettings.class))
                        .or(JavaClass.Predicates.equivalentTo(ExplainRequest.class))
                        .or(JavaClass.Predicates.equivalentTo(SaliencyModel.class)))
                .check(CLASSES);
    }

    @Test
    void theCoreDoesNotDependOnTheModels() {
        noClasses().that().resideInAnyPackage("org.saliency4j", "org.saliency4j.torch..", "org.saliency4j.image..",
                        "org.saliency4j.method..", "org.saliency4j.io..")
                .should().dependOnClassesThat().resideInAnyPackage("org.saliency4j.models..", "org.saliency4j.eval..")
                .check(CLASSES);
    }

    /** Every package of saliency4j is a slice of its own, the top-level API package included. */
    private static final SliceAssignment EACH_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            return name.startsWith("org.saliency4j") ? SliceIdentifier.of(name) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "each package of org.saliency4j";
        }
    };

    /**
     * No package cycles. The cycles that remain from before the module split are frozen in
     * {@code src/test/resources/archunit-store}: a new one fails this test, and the store shrinks as they are removed.
     */
    @Test
    void packagesFormNoNewCycles() {
        ArchRule rule = slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles();
        FreezingArchRule.freeze(rule).check(CLASSES);
    }
}
