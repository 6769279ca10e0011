package org.saliency4j.image;

/**
 * A TIFF file's size and orientation from its first directory, the one the decoder reads. A directory with a
 * tag twice is refused: readers may take either entry (the header probe one width, libtiff another), so the
 * pixel limit would not hold for what is decoded.
 */
final class TiffHeader {
    private TiffHeader() {
    }

    static ImageProbe.Declared read(HeaderBytes tiff) {
        TiffDirectory directory = TiffDirectory.first(tiff);
        int duplicate = directory.duplicateTag();
        if (duplicate >= 0) {
            throw new HeaderBytes.Damaged("tag " + duplicate + " appears twice in the first directory, so the"
                    + " image is ambiguous");
        }
        return new ImageProbe.Declared(directory.integer(TiffDirectory.IMAGE_WIDTH),
                directory.integer(TiffDirectory.IMAGE_LENGTH), directory.orientation());
    }
}
