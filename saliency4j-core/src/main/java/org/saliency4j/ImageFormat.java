package org.saliency4j;

import java.nio.file.Path;
import java.util.Locale;

/** Formats a rendering can be written in. */
public enum ImageFormat {
    PNG(".png"),
    JPEG(".jpg");

    private final String extension;

    ImageFormat(String extension) {
        this.extension = extension;
    }

    /** The OpenCV-style extension used for encoding, with its dot. */
    public String extension() {
        return extension;
    }

    /** PNG for {@code .png}, JPEG for {@code .jpg}/{@code .jpeg}; anything else is an error naming the file. */
    public static ImageFormat forFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return PNG;
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return JPEG;
        }
        throw new SaliencyException(SaliencyException.Kind.OPTION, file.toString(),
                "unsupported output format (use a .png, .jpg or .jpeg file name)");
    }
}
