package org.saliency4j.internal.image;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_core.transpose;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.saliency4j.ImageInput;
import org.saliency4j.ImageLimits;
import org.saliency4j.ImageSize;
import org.saliency4j.Picture;
import org.saliency4j.SaliencyException;

/**
 * Turns any supported image into 8-bit RGB as a viewer shows it: grey replicated to RGB, 16-bit and float
 * samples scaled to 8 bits, transparency composited onto white, EXIF orientation applied.
 */
public final class ImageDecoder {
    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    public Picture decode(ImageInput input) {
        if (input instanceof ImageInput.Decoded decoded) {
            return withinLimits(decoded.name(), decoded.picture());
        }
        if (input instanceof ImageInput.File file) {
            return decode(file.name(), read(file.path()));
        }
        ImageInput.Bytes bytes = (ImageInput.Bytes) input;
        return decode(bytes.name(), bytes.encoded());
    }

    /**
     * The size the image's header declares, checked against the limits, and the channels and sample bytes the
     * decoder will hold for it, without decoding any pixel: what a server weighs to admit the image under its
     * memory budget before decoding it ({@link ImageSize#decodingBytes()}).
     *
     * @throws SaliencyException naming the image when it is not a supported image or exceeds the limits
     */
    public ImageSize declaredSize(String name, byte[] encoded) {
        ImageProbe.Header header = ImageProbe.read(name, encoded, limits);
        return new ImageSize(header.width(), header.height(), header.channels(), header.bytesPerSample());
    }

    public Picture decode(String name, byte[] encoded) {
        ImageProbe.Header header = ImageProbe.read(name, encoded, limits);
        if (header.type() == ImageType.JPEG && JpegIntegrity.isTruncated(encoded)) {
            throw ImageProbe.imageError(name, "the JPEG data is truncated (no end-of-image marker after the last scan)");
        }
        try (PointerScope scope = new PointerScope()) {
            Mat raw;
            try {
                raw = imdecode(new Mat(new BytePointer(encoded)), IMREAD_UNCHANGED);
            } catch (RuntimeException e) {
                throw ImageProbe.imageError(name, "the " + header.type().label() + " data cannot be decoded ("
                        + firstLine(e.getMessage()) + ")");
            }
            if (raw == null || raw.empty()) {
                throw ImageProbe.imageError(name, "the " + header.type().label()
                        + " data cannot be decoded (damaged or truncated?)");
            }
            requireDeclaredSize(name, header, raw.cols(), raw.rows());
            Mat rgb = toRgb(name, toEightBit(name, raw));
            return Mats.picture(orient(rgb, header.orientationToApply()));
        }
    }

    /**
     * The limits were checked on the header's size; a decoder that found another size (a header read two ways)
     * would have escaped them, so the image is refused. OPENCV_IO_MAX_IMAGE_PIXELS, set by bin/saliency4j, bounds
     * what such a decoder may allocate before this check.
     */
    static void requireDeclaredSize(String name, ImageProbe.Header header, int width, int height) {
        if (width != header.decodedWidth() || height != header.decodedHeight()) {
            throw ImageProbe.imageError(name, "the " + header.type().label() + " decoder read " + width + "x"
                    + height + " pixels where the header declares " + header.decodedWidth() + "x"
                    + header.decodedHeight() + " (damaged or crafted?)");
        }
    }

    /** Pixels already decoded elsewhere are held to the same pixel limit as encoded images. */
    private Picture withinLimits(String name, Picture picture) {
        long pixels = (long) picture.width() * picture.height();
        if (pixels > limits.maxPixels()) {
            throw new SaliencyException(SaliencyException.Kind.IMAGE_TOO_LARGE, name, "the picture has "
                    + picture.width() + "x" + picture.height() + " = " + pixels + " pixels, more than the limit of "
                    + limits.maxPixels());
        }
        return picture;
    }

    /**
     * The file's bytes, if it is a regular file within the byte limit. Anything else is refused from its
     * attributes, before it is opened: opening a FIFO blocks until a writer comes, and a device such as
     * {@code /dev/zero} never ends. The read itself stops one byte past the limit, whatever size the file claimed.
     */
    private byte[] read(Path path) {
        String name = path.toString();
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw ImageProbe.imageError(name, "is a directory, not an image file");
            }
            if (!attributes.isRegularFile()) {
                throw ImageProbe.imageError(name, "is not a regular file (a device, FIFO or socket), not an image file");
            }
            if (attributes.size() > limits.maxBytes()) {
                throw tooLarge(name, attributes.size() + " bytes");
            }
            int bound = (int) Math.min(limits.maxBytes() + 1, Integer.MAX_VALUE - 8);
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(bound);
            }
            if (bytes.length > limits.maxBytes()) {
                throw tooLarge(name, "more than " + limits.maxBytes() + " bytes");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw ImageProbe.imageError(name, "no such file");
        } catch (IOException e) {
            throw ImageProbe.imageError(name, "cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
    }

    private SaliencyException tooLarge(String name, String size) {
        return new SaliencyException(SaliencyException.Kind.IMAGE_TOO_LARGE, name, "the file has " + size
                + ", more than the limit of " + limits.maxBytes());
    }

    private static Mat toEightBit(String name, Mat raw) {
        int depth = raw.depth();
        if (depth == CV_8U) {
            return raw;
        }
        Mat out = new Mat();
        if (depth == CV_16U) {
            raw.convertTo(out, CV_8U, 255.0 / 65535.0, 0);
        } else if (depth == CV_32F || depth == CV_64F) {
            // Floating-point TIFFs hold intensities in [0, 1]; values outside saturate.
            raw.convertTo(out, CV_8U, 255.0, 0);
        } else {
            throw ImageProbe.imageError(name, "unsupported sample format (OpenCV depth " + depth + ")");
        }
        return out;
    }

    private static Mat toRgb(String name, Mat image) {
        Mat out = new Mat();
        switch (image.channels()) {
            case 1 -> cvtColor(image, out, COLOR_GRAY2RGB);
            case 3 -> cvtColor(image, out, COLOR_BGR2RGB);
            case 2, 4 -> out = compositeOnWhite(image);
            default -> throw ImageProbe.imageError(name, "unsupported channel count " + image.channels());
        }
        return out;
    }

    /** Grey+alpha or BGRA onto a white background, as image viewers show transparent pixels. */
    private static Mat compositeOnWhite(Mat image) {
        MatVector planes = new MatVector();
        split(image, planes);
        int colours = image.channels() - 1;
        Mat alpha = planes.get(colours);
        Mat inverse = new Mat();
        subtract(new Mat(alpha.size(), CV_8UC1,
                new Scalar(255.0)), alpha, inverse);
        MatVector rgb = new MatVector(3);
        for (int c = 0; c < 3; c++) {
            // BGR order for three colour planes; the single grey plane serves all three.
            Mat plane = planes.get(colours == 1 ? 0 : 2 - c);
            Mat weighted = new Mat();
            multiply(plane, alpha, weighted, 1.0 / 255.0, -1);
            Mat composed = new Mat();
            add(weighted, inverse, composed);
            rgb.put(c, composed);
        }
        Mat out = new Mat();
        merge(rgb, out);
        return out;
    }

    /** Applies EXIF orientation 1-8, as OpenCV's own decoder does when asked for 8-bit colour. */
    private static Mat orient(Mat image, int orientation) {
        if (orientation == 1) {
            return image;
        }
        Mat out = new Mat();
        switch (orientation) {
            case 2 -> flip(image, out, 1);
            case 3 -> flip(image, out, -1);
            case 4 -> flip(image, out, 0);
            default -> {
                transpose(image, out);
                if (orientation != 5) {
                    flip(out, out, orientation == 6 ? 1 : orientation == 7 ? -1 : 0);
                }
            }
        }
        return out;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        String line = message.strip().lines().findFirst().orElse("no detail");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
