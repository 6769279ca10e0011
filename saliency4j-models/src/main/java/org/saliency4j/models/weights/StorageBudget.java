package org.saliency4j.models.weights;

import java.nio.file.Path;

/**
 * The bytes a file's storages may take in all: no more than the file holds. Each storage is checked against its
 * own record, but a crafted file can point many names at the same bytes (zip entries sharing one record,
 * safetensors ranges that overlap), and then the storages would add up to many times the file.
 */
final class StorageBudget {
    private final Path file;
    private final long fileBytes;
    private long taken;

    StorageBudget(Path file, long fileBytes) {
        this.file = file;
        this.fileBytes = fileBytes;
    }

    /** Takes {@code bytes} for {@code what}, before they are allocated; refuses past the file's size. */
    void take(long bytes, String what) {
        if (bytes > fileBytes - taken) {
            throw WeightFileErrors.of(file, "declares more storage bytes than it holds (" + fileBytes + " bytes) by "
                    + what + ": its storages share or reuse bytes");
        }
        taken += bytes;
    }
}
