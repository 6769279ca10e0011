package org.saliency4j.internal.torch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Zen 5 recognised from /proc/cpuinfo's lines as Linux writes them (tabs before the colons). */
class Zen5Test {
    @Test
    void amdFamily26IsZen5AndOtherProcessorsAreNot() {
        assertTrue(Zen5.isZen5(List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 26",
                "model\t\t: 2")));
        assertFalse(Zen5.isZen5(List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 25")),
                "Zen 4");
        assertFalse(Zen5.isZen5(List.of("processor\t: 0", "vendor_id\t: GenuineIntel", "cpu family\t: 6")));
        assertFalse(Zen5.isZen5(List.of()), "nothing to read");
    }
}
