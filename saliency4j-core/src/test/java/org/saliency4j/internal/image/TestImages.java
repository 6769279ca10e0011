package org.saliency4j.internal.image;

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

    /**
     * An 8-bit PNG written chunk by chunk, for colour types OpenCV does not write: IHDR with the given colour type,
     * PLTE and tRNS when given (null for none), and rows of {@code samples} bytes a pixel counting up from 0.
     */
    public static byte[] png(int width, int height, int colourType, int samples, byte[] palette, byte[] transparency) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put(new byte[]{8, (byte) colourType, 0, 0, 0}).array());
        if (palette != null) {
            chunk(png, "PLTE", palette);
        }
        if (transparency != null) {
            chunk(png, "tRNS", transparency);
        }
        byte[] rows = new byte[height * (1 + width * samples)];
        for (int y = 0, i = 0; y < height; y++) {
            rows[i++] = 0;   // filter type None
            for (int x = 0; x < width * samples; x++) {
                rows[i++] = (byte) (x % 2);
            }
        }
        Deflater deflater = new Deflater();
        deflater.setInput(rows);
        deflater.finish();
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
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

    /**
     * An uncompressed 8-bit RGB TIFF of the picture, written byte by byte as Pillow lays it out (the first
     * directory at offset 8, the pixels after it), in either byte order. {@code extra} adds single-valued entries
     * {tag, value, tag, value, ...} to the directory, each after any entry with the same tag.
     */
    public static byte[] tiff(Picture picture, boolean littleEndian, long... extra) {
        java.util.List<long[]> entries = new java.util.ArrayList<>();
        int w = picture.width();
        int h = picture.height();
        entries.add(new long[]{256, 4, w});
        entries.add(new long[]{257, 4, h});
        entries.add(new long[]{258, 3, 8});      // BitsPerSample: 8 (one value serves all samples)
        entries.add(new long[]{259, 3, 1});      // no compression
        entries.add(new long[]{262, 3, 2});      // RGB
        entries.add(new long[]{273, 4, -1});     // StripOffsets: filled in below
        entries.add(new long[]{277, 3, 3});      // SamplesPerPixel
        entries.add(new long[]{278, 4, h});      // RowsPerStrip: one strip
        entries.add(new long[]{279, 4, 3L * w * h});
        entries.add(new long[]{284, 3, 1});      // PlanarConfiguration: interleaved
        for (int i = 0; i < extra.length; i += 2) {
            entries.add(new long[]{extra[i], extra[i + 1] < 65536 ? 3 : 4, extra[i + 1]});
        }
        entries.sort(java.util.Comparator.comparingLong(e -> e[0]));
        int pixelsAt = 8 + 2 + entries.size() * 12 + 4;
        ByteBuffer out = ByteBuffer.allocate(pixelsAt + 3 * w * h)
                .order(littleEndian ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        out.put(littleEndian ? new byte[]{'I', 'I', 42, 0} : new byte[]{'M', 'M', 0, 42}).putInt(8);
        out.putShort((short) entries.size());
        for (long[] e : entries) {
            long value = e[0] == 273 ? pixelsAt : e[2];
            out.putShort((short) e[0]).putShort((short) e[1]).putInt(1);
            if (e[1] == 3) {
                out.putShort((short) value).putShort((short) 0);
            } else {
                out.putInt((int) value);
            }
        }
        out.putInt(0);
        out.put(picture.toRgbBytes());
        return out.array();
    }

    /** The PNG with a chunk of the given type and data inserted right after its IHDR chunk. */
    public static byte[] withPngChunk(byte[] png, String type, byte[] data) {
        int afterHeader = 8 + 12 + 13;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterHeader);
        chunk(out, type, data);
        out.write(png, afterHeader, png.length - afterHeader);
        return out.toByteArray();
    }

    /** A TIFF structure holding only IFD0 with one entry, Orientation, as EXIF blocks carry it (big-endian). */
    public static byte[] exifOrientation(int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26);
        tiff.put(new byte[]{'M', 'M', 0, 42}).putInt(8);   // big-endian TIFF header, IFD0 at offset 8
        tiff.putShort((short) 1);                             // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);                                       // no next IFD
        return tiff.array();
    }
}
