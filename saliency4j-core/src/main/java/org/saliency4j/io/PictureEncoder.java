package org.saliency4j.io;

import org.saliency4j.ImageFormat;
import org.saliency4j.Picture;
import org.saliency4j.internal.image.ImageCodec;

/** Encodes a picture (an input or a rendering) as an image file's bytes, with OpenCV's codecs. */
public final class PictureEncoder {
    private PictureEncoder() {
    }

    /** The picture as PNG. */
    public static byte[] png(Picture picture) {
        return encode(picture, ImageFormat.PNG);
    }

    /** The picture in the given format (JPEG at quality 95). */
    public static byte[] encode(Picture picture, ImageFormat format) {
        return ImageCodec.encode(picture, format);
    }
}
