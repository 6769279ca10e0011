package org.saliency4j.models.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A little-endian .npy file of float16, float32, float64 or int64 read exactly, as numpy wrote it (the core's
 * test helper reads float32 only). Half floats are decoded here by their definition, apart from the code under test.
 */
record ExactNpy(String descr, int[] shape, double[] values, long[] integers) {
    private static final Pattern DESCR = Pattern.compile("'descr': '([<|][a-z][0-9])'");
    private static final Pattern SHAPE = Pattern.compile("'shape': \\(([0-9, ]*)\\)");

    static ExactNpy read(InputStream in) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        bytes.position(8);
        byte[] header = new byte[bytes.getShort() & 0xffff];
        bytes.get(header);
        String dict = new String(header, StandardCharsets.US_ASCII);
        Matcher d = DESCR.matcher(dict);
        Matcher s = SHAPE.matcher(dict);
        if (!d.find() || !s.find() || !dict.contains("'fortran_order': False")) {
            throw new IOException("not a C-order array: " + dict);
        }
        int[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] values = new double[n];
        long[] integers = new long[n];
        for (int i = 0; i < n; i++) {
            switch (d.group(1)) {
                case "<f2" -> values[i] = half(bytes.getShort());
                case "<f4" -> values[i] = bytes.getFloat();
                case "<f8" -> values[i] = bytes.getDouble();
                case "<i8" -> {
                    integers[i] = bytes.getLong();
                    values[i] = integers[i];
                }
                default -> throw new IOException("unsupported dtype " + d.group(1));
            }
        }
        return new ExactNpy(d.group(1), shape, values, integers);
    }

    /** IEEE half: (-1)^s * 2^(e-15) * (1 + m/1024), subnormals 2^-14 * m/1024. */
    private static double half(short bits) {
        int sign = (bits >> 15) & 1;
        int exponent = (bits >> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        double magnitude = exponent == 0 ? Math.scalb(mantissa / 1024.0, -14) : Math.scalb(1 + mantissa / 1024.0, exponent - 15);
        return sign == 1 ? -magnitude : magnitude;
    }
}
