package org.saliency4j.models.weights;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import org.saliency4j.SaliencyException;

/**
 * The pickle of a {@code torch.save} file, read by razorvine's unpickler with everything that could run code or
 * grow without bound taken over here, as {@code torch.load(weights_only=True)} does in Python:
 * <ul>
 * <li>every global the pickle names is looked up in {@link #ALLOWED} (ordered dicts, torch's tensor rebuild
 * functions, its storage types); any other, {@code os.system} among them, is refused by name, so no class of the
 * library's own registry nor any Java class is ever reached;</li>
 * <li>only the opcodes of protocols 2 to 4 that torch.save writes are read; the text opcodes of protocol 0 (whose
 * numbers parse in quadratic time), sets, extensions and out-of-band buffers are refused;</li>
 * <li>dicts keep their order (the library's own loses it) and take only strings, numbers and booleans as keys (a
 * deeply nested key would overflow the stack when hashed); {@code BUILD} only sets a state dict's metadata;</li>
 * <li>every length a string or bytes opcode declares is checked against the bytes left before the library allocates
 * it, and the opcodes are counted.</li>
 * </ul>
 */
final class TorchUnpickler extends Unpickler {
    /** Enough for ~50,000 tensors (a state-dict entry takes about 40 opcodes). */
    static final int MAX_OPCODES = 2_000_000;

    /** Where a pickle's storages come from: the zip's records, or the legacy file's tail. */
    interface Storages {
        Storage storage(DType dtype, String key, long numel);
    }

    /** A storage type named in a persistent id ({@code torch.FloatStorage}): only ever read, never called. */
    private record StorageType(DType dtype) {
    }

    /** A tensor whose size, stride or offset does not fit its storage: the file's fault, said as such. */
    private static final class TensorRefused extends PickleException {
        TensorRefused(String message) {
            super(message);
        }
    }

    /** Something torch.save never writes for tensors and dicts, named: refused like a global. */
    private static final class Refused extends PickleException {
        Refused(String what) {
            super(what);
        }
    }

    private record Global(String name, IObjectConstructor constructor) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            return constructor.construct(args);
        }
    }

    private static final Map<String, IObjectConstructor> ALLOWED = new LinkedHashMap<>();
    private static final Map<String, StorageType> STORAGE_TYPES = new LinkedHashMap<>();

    static {
        ALLOWED.put("collections.OrderedDict", TorchUnpickler::orderedDict);
        ALLOWED.put("torch._utils._rebuild_tensor", args -> rebuildTensor(args, 4));
        ALLOWED.put("torch._utils._rebuild_tensor_v2", args -> rebuildTensor(args, 6));
        ALLOWED.put("torch._utils._rebuild_parameter", args -> parameterData(args, 3));
        ALLOWED.put("torch._utils._rebuild_parameter_with_state", args -> parameterData(args, 4));
        ALLOWED.put("torch.Size", args -> {
            if (args.length != 1) {
                throw new PickleException("torch.Size is made from one tuple, not " + args.length + " arguments");
            }
            return args[0];
        });
        storageType("FloatStorage", DType.F32);
        storageType("DoubleStorage", DType.F64);
        storageType("HalfStorage", DType.F16);
        storageType("BFloat16Storage", DType.BF16);
        storageType("LongStorage", DType.I64);
        storageType("IntStorage", DType.I32);
        storageType("ShortStorage", DType.I16);
        storageType("CharStorage", DType.I8);
        storageType("ByteStorage", DType.U8);
        storageType("BoolStorage", DType.BOOL);
    }

    private static void storageType(String name, DType dtype) {
        STORAGE_TYPES.put("torch." + name, new StorageType(dtype));
    }

    private final Path file;
    private final PickleBytes in;
    private final Storages storages;
    private int opcodes;

    private TorchUnpickler(Path file, PickleBytes in, Storages storages) {
        this.file = file;
        this.in = in;
        this.storages = storages;
    }

    /**
     * Reads one pickle from {@code in}'s position to its STOP.
     *
     * @throws SaliencyException naming the file and what it refused or could not read
     */
    static Object load(Path file, PickleBytes in, Storages storages) {
        try {
            return new TorchUnpickler(file, in, storages).load(in);
        } catch (SaliencyException e) {
            throw e;
        } catch (Refused e) {
            throw refused(file, e.getMessage());
        } catch (TensorRefused e) {
            throw WeightFileErrors.of(file, "has a tensor that does not fit its storage: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // The library's own errors (an empty stack, an unknown memo key, a tuple where a list belongs) and ours:
            // the pickle is damaged, truncated, or not one torch.save writes.
            throw WeightFileErrors.of(file, "its pickle cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); is the file truncated, or not written by torch.save?", e);
        }
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        if (++opcodes > MAX_OPCODES) {
            throw WeightFileErrors.of(file, "its pickle has more than " + MAX_OPCODES + " operations");
        }
        switch (key) {
            case Opcodes.GLOBAL -> stack.add(lookup(PickleUtils.readline(in), PickleUtils.readline(in)));
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PickleException("a global named by non-strings");
                }
                stack.add(lookup(m, n));
            }
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.DICT -> {
                Map<Object, Object> dict = new LinkedHashMap<>();
                putPairs(dict, stack.pop_all_since_marker());
                stack.add(dict);
            }
            case Opcodes.SETITEM -> {
                Object value = stack.pop();
                Object dictKey = stack.pop();
                putPairs(dict(stack.peek()), Arrays.asList(dictKey, value));
            }
            case Opcodes.SETITEMS -> {
                List<Object> pairs = stack.pop_all_since_marker();
                putPairs(dict(stack.peek()), pairs);
            }
            case Opcodes.BUILD -> {
                // The only state torch.save writes for what is allowed here: a state dict's `_metadata` attribute
                // (module versions), which loading weights into an architecture does not need.
                stack.pop();
                if (!(stack.peek() instanceof Map)) {
                    throw refused("a BUILD of " + typeName(stack.peek()));
                }
            }
            case Opcodes.BINUNICODE, Opcodes.BINSTRING, Opcodes.BINBYTES -> {
                checkLength(4);
                return super.dispatch(key);
            }
            case Opcodes.BINUNICODE8, Opcodes.BINBYTES8 -> {
                checkLength(8);
                return super.dispatch(key);
            }
            case Opcodes.PROTO, Opcodes.FRAME, Opcodes.STOP, Opcodes.MARK, Opcodes.POP, Opcodes.POP_MARK, Opcodes.DUP,
                    Opcodes.BININT, Opcodes.BININT1, Opcodes.BININT2, Opcodes.LONG1, Opcodes.NONE, Opcodes.NEWTRUE,
                    Opcodes.NEWFALSE, Opcodes.BINFLOAT, Opcodes.SHORT_BINUNICODE, Opcodes.SHORT_BINSTRING,
                    Opcodes.SHORT_BINBYTES, Opcodes.EMPTY_LIST, Opcodes.APPEND, Opcodes.APPENDS, Opcodes.LIST,
                    Opcodes.EMPTY_TUPLE, Opcodes.TUPLE, Opcodes.TUPLE1, Opcodes.TUPLE2, Opcodes.TUPLE3, Opcodes.REDUCE,
                    Opcodes.NEWOBJ, Opcodes.BINPERSID, Opcodes.BINPUT, Opcodes.LONG_BINPUT, Opcodes.BINGET,
                    Opcodes.LONG_BINGET, Opcodes.MEMOIZE -> {
                return super.dispatch(key);
            }
            default -> throw refused(String.format("the pickle opcode 0x%02x", key));
        }
        return NO_RETURN_VALUE;
    }

    /**
     * A storage named by a persistent id: {@code ('storage', type, key, location, numel)}, and in the legacy format
     * a sixth element, a view of another storage, which torch.save has not written since PyTorch 1.0.
     */
    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] id) || id.length < 5 || !"storage".equals(id[0])
                || !(id[1] instanceof StorageType type) || !(id[2] instanceof String storageKey)) {
            throw refused("a persistent id that is not a storage");
        }
        if (id.length > 6 || (id.length == 6 && id[5] != null)) {
            throw refused("a storage view (written by PyTorch before 1.0)");
        }
        return storages.storage(type.dtype(), storageKey, nonNegative(id[4], "storage size"));
    }

    private Object lookup(String module, String name) {
        String global = module + "." + name;
        StorageType storageType = STORAGE_TYPES.get(global);
        if (storageType != null) {
            return storageType;
        }
        IObjectConstructor constructor = ALLOWED.get(global);
        if (constructor == null) {
            throw refused(global);
        }
        return new Global(global, constructor);
    }

    private SaliencyException refused(String what) {
        return refused(file, what);
    }

    private static SaliencyException refused(Path file, String what) {
        return WeightFileErrors.of(file, "refused to load: its pickle names " + what + ", and a weights file may only "
                + "hold what torch.save writes for tensors and dicts (as torch.load(weights_only=True) allows)");
    }

    private void checkLength(int width) {
        if (in.left() < width) {
            throw WeightFileErrors.of(file, "its pickle ends at byte " + in.position() + ": is the file truncated?");
        }
        long length = in.peekLength(width);
        if (length > in.left() - width) {
            throw WeightFileErrors.of(file, "its pickle declares a string of " + length + " bytes where "
                    + Math.max(0, in.left() - width) + " are left");
        }
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object top) {
        if (!(top instanceof Map)) {
            throw new PickleException("SETITEM on " + typeName(top));
        }
        return (Map<Object, Object>) top;
    }

    private static void putPairs(Map<Object, Object> dict, List<Object> pairs) {
        if (pairs.size() % 2 != 0) {
            throw new PickleException("a dict with a key and no value");
        }
        for (int i = 0; i < pairs.size(); i += 2) {
            Object dictKey = pairs.get(i);
            if (!(dictKey == null || dictKey instanceof String || dictKey instanceof Number || dictKey instanceof Boolean)) {
                throw new Refused("a dict key of type " + typeName(dictKey));
            }
            dict.put(dictKey, pairs.get(i + 1));
        }
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o instanceof Global g ? g.name() : o.getClass().getSimpleName();
    }

    /**
     * {@code OrderedDict()}, as Python 3 pickles it (the items follow as SETITEMS), or {@code OrderedDict([[key,
     * value], ...])}, as Python 2 did (torchvision's oldest files may come from it).
     */
    private static Map<Object, Object> orderedDict(Object[] args) {
        Map<Object, Object> dict = new LinkedHashMap<>();
        if (args.length == 0) {
            return dict;
        }
        if (args.length != 1 || !(args[0] instanceof List<?> items)) {
            throw new PickleException("OrderedDict is made from nothing or a list of pairs, not " + args.length
                    + " arguments");
        }
        List<Object> pairs = new ArrayList<>();
        for (Object item : items) {
            List<?> pair = item instanceof List<?> l ? l : item instanceof Object[] a ? Arrays.asList(a) : null;
            if (pair == null || pair.size() != 2) {
                throw new PickleException("an OrderedDict item that is not a pair");
            }
            pairs.addAll(pair);
        }
        putPairs(dict, pairs);
        return dict;
    }

    /**
     * {@code _rebuild_tensor(storage, offset, size, stride)} (torch.save before 0.4) and {@code _rebuild_tensor_v2(
     * storage, offset, size, stride, requires_grad, backward_hooks[, metadata])}: a view of the storage.
     */
    private static WeightTensor rebuildTensor(Object[] args, int arguments) {
        if (args.length < arguments || args.length > arguments + 1 || !(args[0] instanceof Storage storage)) {
            throw new PickleException("a tensor rebuilt from " + args.length + " arguments, not a storage and "
                    + (arguments - 1));
        }
        try {
            return WeightTensor.view(storage, nonNegative(args[1], "storage offset"), longs(args[2], "size"),
                    longs(args[3], "stride"));
        } catch (IllegalArgumentException e) {
            throw new TensorRefused(e.getMessage());
        }
    }

    /** {@code _rebuild_parameter(data, requires_grad, backward_hooks[, state])}: the parameter's tensor. */
    private static WeightTensor parameterData(Object[] args, int arguments) {
        if (args.length != arguments || !(args[0] instanceof WeightTensor data)) {
            throw new PickleException("a parameter rebuilt from " + args.length + " arguments, not a tensor and "
                    + (arguments - 1));
        }
        return data;
    }

    private static long[] longs(Object tuple, String what) {
        List<?> items = tuple instanceof Object[] array ? Arrays.asList(array)
                : tuple instanceof List<?> list ? list : null;
        if (items == null) {
            throw new PickleException("a tensor's " + what + " is " + typeName(tuple) + ", not a tuple");
        }
        // Checked before the copy: a memoized list of a million dimensions could otherwise be copied per tensor.
        if (items.size() > WeightTensor.MAX_DIMENSIONS) {
            throw new PickleException("a tensor's " + what + " has " + items.size() + " dimensions, more than "
                    + WeightTensor.MAX_DIMENSIONS);
        }
        long[] values = new long[items.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = nonNegative(items.get(i), what);
        }
        return values;
    }

    private static long nonNegative(Object number, String what) {
        if (number instanceof Integer || number instanceof Long) {
            long value = ((Number) number).longValue();
            if (value >= 0) {
                return value;
            }
        }
        throw new PickleException("a " + what + " of " + (number instanceof Number || number instanceof BigInteger
                ? number : typeName(number)) + ", not a non-negative 64-bit integer");
    }
}
