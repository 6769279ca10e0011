package org.saliency4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.saliency4j.SaliencyException;
import org.saliency4j.models.BuiltinModels;

/**
 * A model file as the executors get it: read once on the driver (a local path or any Hadoop-filesystem URI),
 * broadcast with the job, and written to a local file by the first task of each executor JVM that needs it.
 * Broadcast rather than {@code SparkContext.addFile}: in Spark 4 a SQL job ships only the files of its session's
 * artifacts, so a file added to the context never reached the executors of another JVM (measured in local-cluster).
 * The executors tell models apart by their content's SHA-256, so a model is loaded once per JVM across jobs.
 *
 * @param name   the model as given, which explanations report
 * @param digest the SHA-256 of its bytes
 * @param bytes  the file's bytes, fetched by an executor only when it has not loaded this model yet
 */
record ShippedModel(String name, String fileName, String digest, Broadcast<byte[]> bytes) implements Serializable {
    /** Broadcast takes one array. */
    private static final long ARRAY_BYTES = Integer.MAX_VALUE - 8;

    /**
     * Reads the model on the driver and broadcasts it: a Hadoop-filesystem URI, a path or a built-in name
     * ({@link #uri}).
     *
     * @throws SaliencyException naming the model when it cannot be read or is larger than {@link #maxBytes} of this
     *                           JVM's heap, before it is read
     */
    static ShippedModel of(SparkSession spark, String model) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri(model));
        byte[] bytes;
        String digest;
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            FileStatus status = fs.getFileStatus(path);
            long heap = Runtime.getRuntime().maxMemory();
            if (!status.isFile() || status.getLen() > maxBytes(heap)) {
                throw new SaliencyException(SaliencyException.Kind.MODEL, model, status.isFile()
                        ? "is " + status.getLen() + " bytes, more than the driver can broadcast with its heap of "
                        + (heap >> 20) + " MiB (" + maxBytes(heap) + " bytes, a quarter of it): give the driver a "
                        + "heap of 4 times the model at least (bin/saliency4j-spark: SALIENCY4J_JAVA_OPTS=-Xmx...; "
                        + "spark-submit: --driver-memory), and the executors as much"
                        : "is not a file");
            }
            MessageDigest sha256 = sha256();
            try (InputStream in = new DigestInputStream(fs.open(path), sha256)) {
                bytes = in.readNBytes((int) status.getLen());
            }
            digest = HexFormat.of().formatHex(sha256.digest());
        } catch (IOException e) {
            throw new SaliencyException(SaliencyException.Kind.MODEL, model, "cannot be read ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        Broadcast<byte[]> broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bytes);
        // A built-in model's file is a temporary one: its own name is the one to report and to write.
        String fileName = model.contains(":") || model.contains("/") || model.endsWith(".pt") ? path.getName()
                : model + ".pt";
        return new ShippedModel(model, fileName, digest, broadcast);
    }

    /**
     * The largest model a driver of this heap broadcasts: a quarter of it, since it holds the bytes, the broadcast's
     * serialised pieces of them, and Spark's own memory (at least 450 MiB) at once; and one array at most. The
     * launcher's 1 GiB driver takes models of 256 MiB (DenseNet-201 is 80 MB).
     */
    static long maxBytes(long heap) {
        return Math.min(ARRAY_BYTES, heap / 4);
    }

    /** Writes the model to a new local folder of this JVM, under its own file name (which errors then name). */
    Path writeLocal() {
        try {
            Path file = newLocalFile(fileName);
            Files.write(file, bytes.value());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model " + name + " to a local file", e);
        }
    }

    /**
     * A path named {@code fileName} in a new temporary folder of this JVM, both deleted when it exits (the folder
     * registered first: the JVM deletes in the reverse order, the file, then its emptied folder).
     */
    static Path newLocalFile(String fileName) throws IOException {
        Path dir = Files.createTempDirectory("saliency4j-model-");
        dir.toFile().deleteOnExit();
        Path file = dir.resolve(fileName);
        file.toFile().deleteOnExit();
        return file;
    }

    /**
     * The model as a URI: a Hadoop-filesystem URI as given ({@code hdfs://}, {@code s3a://}, {@code file:/}, ...),
     * else what the command line's {@code --model} takes, a path or a built-in name ({@link BuiltinModels#resolve}).
     */
    static String uri(String model) {
        return model.contains(":") ? model : BuiltinModels.resolve(model).toAbsolutePath().toUri().toString();
    }

    /** The digest executors tell models apart by. */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
