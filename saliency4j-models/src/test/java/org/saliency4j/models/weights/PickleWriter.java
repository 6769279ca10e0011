package org.saliency4j.models.weights;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Pickle bytes written opcode by opcode, for the hostile files a test needs (protocol 2, as torch.save writes). */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter() {
        this(2);
    }

    PickleWriter(int protocol) {
        out.write(0x80);
        out.write(protocol);
    }

    /** Protocol 4's way: SHORT_BINUNICODE module and name, MEMOIZE each, STACK_GLOBAL. */
    PickleWriter stackGlobal(String module, String name) {
        return shortString(module).op((char) 0x94).shortString(name).op((char) 0x94).op((char) 0x93);
    }

    PickleWriter shortString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.write(0x8c);
        out.write(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    PickleWriter op(char opcode) {
        out.write(opcode);
        return this;
    }

    PickleWriter global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleWriter string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        writeInt(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    /** SHORT_BINSTRING: a str as Python 2 pickles it. */
    PickleWriter python2String(String s) {
        byte[] ascii = s.getBytes(StandardCharsets.US_ASCII);
        out.write('U');
        out.write(ascii.length);
        out.writeBytes(ascii);
        return this;
    }

    PickleWriter raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    /** BINUNICODE declaring {@code length} bytes, followed by none. */
    PickleWriter stringHeader(int length) {
        out.write('X');
        writeInt(length);
        return this;
    }

    /** BININT (4 bytes) or LONG1 (8 bytes) for larger values. */
    PickleWriter integer(long value) {
        if (value == (int) value) {
            out.write('J');
            writeInt((int) value);
        } else {
            out.write(0x8a);
            out.write(8);
            for (int i = 0; i < 8; i++) {
                out.write((int) (value >>> (8 * i)));
            }
        }
        return this;
    }

    /** {@code _rebuild_tensor_v2(storage KEY, offset, size, stride, False, OrderedDict())} as torch.save writes it. */
    PickleWriter tensor(String storageType, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        op('(').string("storage").global("torch", storageType).string(key).string("cpu").integer(numel).op('t').op('Q');
        integer(offset).op('(');
        for (long s : size) {
            integer(s);
        }
        op('t').op('(');
        for (long s : stride) {
            integer(s);
        }
        return op('t').op((char) 0x89).global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
    }

    byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    private void writeInt(int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i));
        }
    }
}
