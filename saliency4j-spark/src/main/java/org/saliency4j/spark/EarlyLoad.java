package org.saliency4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's model loaded while Spark starts, in local mode, where the driver's JVM is the executor. Otherwise the
 * first task loads it, after Spark's start (the session, the listing of the input, the model's broadcast: 7 s on 2
 * cores), and the other task slots wait for that load: DenseNet-201 took 6-10 s to load and warm, and the first two
 * tasks of a 160-image job 26-30 s against 16-19 s for the next two (Spark's event log, 2 cores, 2026-12-02). The
 * tasks find the model in {@link ModelCache}, under the same digest and options.
 *
 * <p>Only a model this JVM reads without Spark: a path, a {@code file:} URI or a built-in name, and no larger than the
 * driver broadcasts. A load that fails is left to the tasks, which load again and fail the job with the message. A
 * job that fails before its tasks run still waits for the load to end before it exits.
 */
final class EarlyLoad implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyLoad.class);
    private static final EarlyLoad NONE = new EarlyLoad();

    /** Null for none. */
    private final Thread thread;
    private final AtomicInteger loads = new AtomicInteger();

    private EarlyLoad() {
        thread = null;
    }

    private EarlyLoad(String model, ExplainOptions options, int taskCpus) {
        thread = new Thread(() -> load(model, options, taskCpus), "saliency4j-early-load");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts loading {@code model} on a thread of its own when {@code conf}'s master is {@code local} or
     * {@code local[N]} ({@code local-cluster} has executor JVMs of its own); else does nothing.
     */
    static EarlyLoad start(SparkConf conf, String model, ExplainOptions options) {
        String master = conf.get("spark.master", "");
        if (!master.equals("local") && !master.startsWith("local[")) {
            return NONE;
        }
        return new EarlyLoad(model, options, conf.getInt("spark.task.cpus", 1));
    }

    private void load(String model, ExplainOptions options, int taskCpus) {
        try {
            Optional<Path> file = localFile(model, Runtime.getRuntime().maxMemory());
            if (file.isEmpty()) {
                return;
            }
            // Loaded from a copy made while hashing, so that the model cached under the digest is the one hashed,
            // however the file changes meanwhile; the tasks load a copy too (ShippedModel#writeLocal). The size
            // checked is all that is copied: a file that grows meanwhile is not read past the bound.
            long size = Files.size(file.get());
            Path copy = ShippedModel.newLocalFile(file.get().getFileName().toString());
            MessageDigest sha256 = ShippedModel.sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(file.get()), sha256);
                 OutputStream out = Files.newOutputStream(copy)) {
                byte[] buffer = new byte[1 << 16];
                for (int read = in.read(buffer, 0, (int) Math.min(buffer.length, size)); read > 0;
                     read = in.read(buffer, 0, (int) Math.min(buffer.length, size))) {
                    out.write(buffer, 0, read);
                    size -= read;
                }
            }
            PartitionExplainer.configureEngine(taskCpus);
            // Local mode offers its tasks no resources (no GPU), so a task's device is what this gives.
            String device = TaskDevice.of(options.device(), Map.of()).device();
            ModelCache.SHARED.lease(HexFormat.of().formatHex(sha256.digest()), model, () -> copy,
                    options.modelOptions(device), loads::incrementAndGet).close();
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.debug("the early load of {} failed; the tasks load it: {}", model, e.toString());
        }
    }

    /**
     * The file of {@code model} when this JVM can load it early: a path, a {@code file:} URI or a built-in name, of
     * a regular file no larger than a driver of {@code heap} bytes broadcasts ({@link ShippedModel#maxBytes});
     * empty for anything else, which the job reads through Hadoop or refuses.
     */
    static Optional<Path> localFile(String model, long heap) throws IOException {
        URI uri = URI.create(ShippedModel.uri(model));
        if (!"file".equals(uri.getScheme())) {
            return Optional.empty();
        }
        Path file = Path.of(uri);
        return Files.isRegularFile(file) && Files.size(file) <= ShippedModel.maxBytes(heap) ? Optional.of(file)
                : Optional.empty();
    }

    /** Waits for the load to end; how many models it loaded (0 or 1). */
    int awaitLoads() {
        close();
        return loads.get();
    }

    /**
     * Waits for the load to end, so that the JVM never exits with this thread inside libtorch (where its exit can
     * crash); a load is not cut short, since libtorch's cannot be.
     */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
