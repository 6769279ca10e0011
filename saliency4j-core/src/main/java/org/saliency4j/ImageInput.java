package org.saliency4j;

import java.nio.file.Path;

/** An image to explain: a file, encoded bytes, or pixels already decoded. */
public sealed interface ImageInput {

    /** The name used in messages and results: the file name, or the caller's name for the bytes. */
    String name();

    static ImageInput file(Path file) {
        return new File(file);
    }

    /** Encoded image bytes (JPEG, PNG, BMP, TIFF, WebP); the bytes are not copied, so do not change them. */
    static ImageInput bytes(String name, byte[] encoded) {
        return new Bytes(name, encoded);
    }

    static ImageInput picture(String name, Picture picture) {
        return new Decoded(name, picture);
    }

    record File(Path path) implements ImageInput {
        @Override
        public String name() {
            return path.toString();
        }
    }

    record Bytes(String name, byte[] encoded) implements ImageInput {
    }

    record Decoded(String name, Picture picture) implements ImageInput {
    }
}
