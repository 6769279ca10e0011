package org.saliency4j.image;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.saliency4j.Picture;

/** Synthetic pictures with a fixed seed, and OpenCV encodings of them made independently of the code under test. */
public final class TestImages {
    private TestImages() {
    }

    /** Smooth colour ramps plus noise: every pixel differs, and resampling has something to average. */
    public static Picture pattern(int width, int height, long seed) {
        Random random = new Random(seed);
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                rgb[i] = (byte) clamp(x * 255 / Math.max(1, width - 1) + random.nextInt(21) - 10);
                rgb[i + 1] = (byte) clamp(y * 255 / Math.max(1, height - 1) + random.nextInt(21) - 10);
                rgb[i + 2] = (byte) clamp(((x + y) * 7) % 256);
            }
        }
        return new Picture(width, height, rgb);
    }

    /** Encodes a Mat holding OpenCV's own channel order (BGR, BGRA, grey) with the given extension. */
    public static byte[] encode(Mat mat, String extension) {
        try (PointerScope scope = new PointerScope()) {
            BytePointer buffer = new BytePointer();
            if (!imencode(extension, mat, buffer)) {
                throw new IllegalStateException("OpenCV cannot encode " + extension);
            }
            byte[] bytes = new byte[(int) buffer.limit()];
            buffer.get(bytes);
            return bytes;
        }
    }

    /** The picture as OpenCV would hold it after reading: BGR. */
    public static Mat bgr(Picture picture) {
        Mat rgb = new Mat(picture.height(), picture.width(), org.bytedeco.opencv.global.opencv_core.CV_8UC3);
        rgb.data().put(picture.toRgbBytes());
        Mat bgr = new Mat();
        cvtColor(rgb, bgr, COLOR_RGB2BGR);
        return bgr;
    }

    public static byte[] encode(Picture picture, String extension) {
        try (PointerScope scope = new PointerScope()) {
            return encode(bgr(picture), extension);
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** A PNG whose header declares width x height pixels over a few hundred KB of deflated zeros. */
    public static byte[] pngBomb(int width, int height) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put(new byte[]{8, 2, 0, 0, 0}).array());
        Deflater deflater = new Deflater(9);
        byte[] zeros = new byte[1 << 20];
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int i = 0; i < 256; i++) {
            deflater.setInput(zeros);
            while (!deflater.needsInput()) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
