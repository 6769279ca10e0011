package org.saliency4j.internal.image;

import org.saliency4j.SaliencyException;

/** The encoded formats the decoder accepts, recognised by their leading bytes. */
enum ImageType {
    JPEG("JPEG", false), PNG("PNG", false), BMP("BMP", false), TIFF("TIFF", true), WEBP("WebP", false);

    private static final String EXPECTED = "(expected JPEG, PNG, BMP, TIFF or WebP)";

    /** Formats that are images but not supported, named so that the refusal says what the file is. */
    private static final String[][] UNSUPPORTED = {
            {"GIF87a", "GIF"}, {"GIF89a", "GIF"}, {"II+\0", "BigTIFF"}, {"MM\0+", "BigTIFF"}, {"8BPS", "PSD"},
            {"%PDF", "PDF"}, {"\0\0\0\fjP  \r\n", "JPEG 2000"}, {"\u00ff\n", "JPEG XL"}, {"\0\0\0\fJXL ", "JPEG XL"},
            {"qoif", "QOI"}};

    private final String label;
    private final boolean codecOrients;

    ImageType(String label, boolean codecOrients) {
        this.label = label;
        this.codecOrients = codecOrients;
    }

    /**
     * Whether OpenCV's codec applies the orientation itself (libtiff's TIFF reader does, even when asked for the
     * image unchanged); for the other formats the decoder applies the EXIF orientation.
     */
    boolean codecOrients() {
        return codecOrients;
    }

    /** The format's usual name, for messages. */
    String label() {
        return label;
    }

    /** The format of {@code encoded}, from its signature alone. */
    static ImageType detect(String name, byte[] encoded) {
        HeaderBytes bytes = HeaderBytes.of(encoded);
        if (bytes.startsWith(0, "\u00ff\u00d8\u00ff")) {
            return JPEG;
        }
        if (bytes.startsWith(0, "\u0089PNG\r\n\u001a\n")) {
            return PNG;
        }
        if (bytes.startsWith(0, "BM")) {
            return BMP;
        }
        // Classic TIFF in either byte order: "II" little-endian (as Pillow and libtiff on x86 write), "MM" big.
        if (bytes.startsWith(0, "II*\0") || bytes.startsWith(0, "MM\0*")) {
            return TIFF;
        }
        if (bytes.startsWith(0, "RIFF") && bytes.startsWith(8, "WEBP")) {
            return WEBP;
        }
        String unsupported = unsupported(bytes);
        throw new SaliencyException(SaliencyException.Kind.IMAGE_FORMAT, name, unsupported == null
                ? "not an image " + EXPECTED : "unsupported format " + unsupported + " " + EXPECTED);
    }

    private static String unsupported(HeaderBytes bytes) {
        for (String[] signature : UNSUPPORTED) {
            if (bytes.startsWith(0, signature[0])) {
                return signature[1];
            }
        }
        if (bytes.startsWith(4, "ftypavif") || bytes.startsWith(4, "ftypavis")) {
            return "AVIF";
        }
        for (String brand : new String[]{"heic", "heix", "hevc", "mif1", "msf1"}) {
            if (bytes.startsWith(4, "ftyp" + brand)) {
                return "HEIF";
            }
        }
        return null;
    }
}
