package org.saliency4j.internal.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Recognises AMD's Zen 5 processors (family 26, 0x1A) from Linux's {@code /proc/cpuinfo}. */
final class Zen5 {
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    /** The two lines needed are in the first processor's block, within its first few dozen lines. */
    private static final int LINES_READ = 64;

    private Zen5() {
    }

    /** Whether this machine's processor is Zen 5; false where it cannot tell (no /proc/cpuinfo). */
    static boolean isThisCpu() {
        try (Stream<String> lines = Files.lines(CPU_INFO)) {
            return isZen5(lines.limit(LINES_READ).toList());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the first processor of a {@code /proc/cpuinfo} listing is AMD's family 26. */
    static boolean isZen5(List<String> cpuInfo) {
        return "AuthenticAMD".equals(value(cpuInfo, "vendor_id")) && "26".equals(value(cpuInfo, "cpu family"));
    }

    private static String value(List<String> cpuInfo, String key) {
        for (String line : cpuInfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
