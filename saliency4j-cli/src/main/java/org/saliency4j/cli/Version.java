package org.saliency4j.cli;

import picocli.CommandLine;

/** The version from the jar's manifest, or "development" when run from classes. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[]{"saliency4j " + (version == null ? "development" : version)
                + " (libtorch 2.10 and OpenCV 4.13 through JavaCPP 1.5.13)"};
    }
}
