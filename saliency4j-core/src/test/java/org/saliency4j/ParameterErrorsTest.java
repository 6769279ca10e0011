package org.saliency4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The library names a bad parameter neutrally ({@code target}, not the CLI's {@code --target}), so that the CLI can
 * show its flag and the service its query parameter; and class names resolve exactly before ignoring case.
 */
class ParameterErrorsTest {
    @Test
    void parameterErrorsNameTheParameterWithoutACliSpelling() {
        assertNames(SaliencyException.Kind.OPTION, "target", () -> Target.parseAll(",,"));
        assertNames(SaliencyException.Kind.OPTION, "target", () -> Target.parse(""));
        assertNames(SaliencyException.Kind.TARGET, "target", () -> Target.index(7).validate(ClassLabels.indices(3)));
        assertNames(SaliencyException.Kind.OPTION, "normalize", () -> Normalization.parse("sideways"));
        assertNames(SaliencyException.Kind.OPTION, "score", () -> Score.parse("odds"));
        assertNames(SaliencyException.Kind.OPTION, "threads", () -> EngineSettings.recommended().withThreads(-1));
    }

    @Test
    void anExactNameWinsAndACaseInsensitiveOneMustBeUnique() {
        ClassLabels labels = ClassLabels.of(List.of("Cardigan", "cardigan", "lion"));
        assertEquals(List.of(1), labels.indicesOf("cardigan"));
        assertEquals(List.of(0), labels.indicesOf(" Cardigan "));
        assertEquals(List.of(2), labels.indicesOf("LION"));
        assertEquals(List.of(0, 1), labels.indicesOf("CARDIGAN"));
        assertEquals(List.of(), labels.indicesOf("tiger"));
        assertEquals(1, Target.named("cardigan").resolve(new float[3], labels));
        SaliencyException ambiguous = assertThrows(SaliencyException.class,
                () -> Target.named("CARDIGAN").resolve(new float[3], labels));
        assertEquals(SaliencyException.Kind.TARGET, ambiguous.kind());
        assertEquals("class name 'CARDIGAN' matches 2 classes: 0 'Cardigan', 1 'cardigan'; give the index",
                ambiguous.problem());
    }

    private static void assertNames(SaliencyException.Kind kind, String parameter, Executable call) {
        SaliencyException e = assertThrows(SaliencyException.class, call);
        assertEquals(kind, e.kind());
        assertEquals(parameter, e.input(), e.getMessage());
    }
}
