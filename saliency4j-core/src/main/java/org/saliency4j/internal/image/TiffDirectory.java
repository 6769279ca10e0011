package org.saliency4j.internal.image;

/**
 * The first image file directory (IFD0) of a TIFF structure: a TIFF file, or the EXIF block of a JPEG, PNG or
 * WebP. Only IFD0 is read, and its entries lie inside the bytes given (at most 65,535 of 12 bytes each), so the
 * walk is bounded by the format itself; values are read only for single SHORT or LONG entries.
 */
final class TiffDirectory {
    static final int IMAGE_WIDTH = 256;
    static final int IMAGE_LENGTH = 257;
    static final int BITS_PER_SAMPLE = 258;
    static final int PHOTOMETRIC = 262;
    static final int ORIENTATION = 274;
    static final int SAMPLES_PER_PIXEL = 277;
    /** {@link #largest} found no entry for the tag. */
    static final long ABSENT = -1;
    /** {@link #largest} found an entry whose values cannot be read as SHORT or LONG integers. */
    static final long UNREADABLE = -2;
    /** The most values of one entry {@link #largest} reads: a sample per channel, and OpenCV decodes at most 4. */
    private static final int MAX_VALUES = 16;
    private static final int SHORT = 3;
    private static final int LONG = 4;
    private static final int ENTRY_BYTES = 12;

    private final HeaderBytes file;
    private final HeaderBytes entries;
    private final int count;

    private TiffDirectory(HeaderBytes file, HeaderBytes entries, int count) {
        this.file = file;
        this.entries = entries;
        this.count = count;
    }

    /** IFD0 of the TIFF structure that starts at byte 0 of {@code tiff} ("II*\0" or "MM\0*"). */
    static TiffDirectory first(HeaderBytes tiff) {
        boolean little;
        if (tiff.startsWith(0, "II*\0")) {
            little = true;
        } else if (tiff.startsWith(0, "MM\0*")) {
            little = false;
        } else {
            throw new HeaderBytes.Damaged("no TIFF byte-order mark");
        }
        HeaderBytes ordered = tiff.order(little);
        long offset = ordered.u32(4);
        if (offset < 8) {
            throw new HeaderBytes.Damaged("the first directory's offset " + offset + " points into the header");
        }
        int count = ordered.u16(offset);
        return new TiffDirectory(ordered, ordered.slice(offset + 2, (long) count * ENTRY_BYTES), count);
    }

    /** The first tag that appears more than once, or -1: a reader may take either entry, so its value is ambiguous. */
    int duplicateTag() {
        boolean[] seen = new boolean[1 << 16];
        for (int i = 0; i < count; i++) {
            int tag = entries.u16((long) i * ENTRY_BYTES);
            if (seen[tag]) {
                return tag;
            }
            seen[tag] = true;
        }
        return -1;
    }

    /** The tag's value when its first entry is a single SHORT or LONG, else -1. */
    long integer(int tag) {
        long at = entry(tag);
        if (at < 0 || entries.u32(at + 4) != 1) {
            return -1;
        }
        int type = entries.u16(at + 2);
        // A value that fits in four bytes is stored in the entry itself, left-justified.
        return type == SHORT ? entries.u16(at + 8) : type == LONG ? entries.u32(at + 8) : -1;
    }

    /**
     * The largest of the tag's values when its first entry holds SHORT or LONG integers (the first
     * {@value #MAX_VALUES} of them), {@link #ABSENT} when the tag has no entry, {@link #UNREADABLE} when its type,
     * count or value offset is not usable: for per-sample tags such as BitsPerSample, whose values lie outside the
     * entry once there are more than two, at an offset checked against the bytes present.
     */
    long largest(int tag) {
        long at = entry(tag);
        if (at < 0) {
            return ABSENT;
        }
        int type = entries.u16(at + 2);
        long values = entries.u32(at + 4);
        int size = type == SHORT ? 2 : type == LONG ? 4 : 0;
        if (size == 0 || values < 1) {
            return UNREADABLE;
        }
        long read = Math.min(values, MAX_VALUES);
        HeaderBytes data;
        try {
            // Values that fit in four bytes are stored in the entry itself, the others at the offset it holds.
            data = values * size <= 4 ? entries.slice(at + 8, 4) : file.slice(entries.u32(at + 8), read * size);
        } catch (HeaderBytes.Damaged e) {
            return UNREADABLE;
        }
        long largest = 0;
        for (long v = 0; v < read; v++) {
            largest = Math.max(largest, size == 2 ? data.u16(v * 2) : data.u32(v * 4));
        }
        return largest;
    }

    /** The offset of the tag's first entry among the entries, or -1 when it has none. */
    private long entry(int tag) {
        for (int i = 0; i < count; i++) {
            long at = (long) i * ENTRY_BYTES;
            if (entries.u16(at) == tag) {
                return at;
            }
        }
        return -1;
    }

    /**
     * The EXIF orientation 1-8 of an EXIF block (a TIFF structure), 1 when absent or unreadable: orientation is
     * only a presentation hint, so a damaged EXIF block never refuses an image the codec can decode.
     */
    static int exifOrientation(HeaderBytes exif) {
        try {
            return first(exif).orientation();
        } catch (HeaderBytes.Damaged e) {
            return 1;
        }
    }

    /** The Orientation tag's value 1-8, else 1 (the stored rows are shown as they are). */
    int orientation() {
        long value = integer(ORIENTATION);
        return value >= 1 && value <= 8 ? (int) value : 1;
    }
}
