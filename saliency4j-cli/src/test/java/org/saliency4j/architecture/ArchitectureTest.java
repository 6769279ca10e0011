package org.saliency4j.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;
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
                        .or(resideInAPackage("org.saliency4j.explain..")))
                .check(CLASSES);
    }

    /** Image processing is a leaf beside the engine: it knows neither the engine, the methods nor a request. */
    @Test
    void imageProcessingKnowsNeitherTheEngineNorTheMethods() {
        noClasses().that().resideInAPackage("org.saliency4j.internal.image..")
                .should().dependOnClassesThat().resideInAnyPackage("org.saliency4j.internal.torch..",
                        "org.saliency4j.method..", "org.saliency4j.explain..")
                .check(CLASSES);
    }

    @Test
    void theCoreDoesNotDependOnTheModels() {
        noClasses().that().resideInAnyPackage("org.saliency4j", "org.saliency4j.internal..", "org.saliency4j.method..",
                        "org.saliency4j.explain..", "org.saliency4j.io..")
                .should().dependOnClassesThat().resideInAnyPackage("org.saliency4j.models..", "org.saliency4j.eval..")
                .check(CLASSES);
    }

    /**
     * The top-level package holds the values every other package speaks in, and nothing that does work on them: it
     * is the bottom of the library, so that no package cycle can pass through it.
     */
    @Test
    void theValuesPackageIsTheBottom() {
        noClasses().that().resideInAPackage("org.saliency4j")
                .should().dependOnClassesThat(resideInAPackage("org.saliency4j..")
                        .and(not(resideInAPackage("org.saliency4j"))))
                .check(CLASSES);
    }

    /** No package cycles: each package is one slice, and ArchUnit's cycle search finds none among them. */
    @Test
    void packagesFormNoCycles() {
        slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles().check(CLASSES);
    }

    private static final SliceAssignment EACH_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
            return "each package of saliency4j";
        }
    };
}
