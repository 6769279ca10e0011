package org.saliency4j.spark;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.saliency4j.SaliencyException;

/**
 * The files of a job's input, listed with their sizes before any byte is read, as Spark's own listing finds them:
 * the input's matches, and the files of the folders among them, leaving out hidden ones ({@code .} and {@code _}).
 * Spark's binaryFile source reads those of 1 to {@code maxBytes} bytes, the range pushed into the source, so that
 * it never reads a larger one (it would read one whole, and fail the job on one over 2 GB); each other file is an
 * error row of its own (Spark's file sources skip empty files, and an image without a row is lost without a word).
 */
final class InputFiles {
    /**
     * The most images one task explains: a task lost is explained again whole, and the job's balance across slots
     * needs several tasks per slot. The per-task cost (a Parquet file, a task's start) is paid once per this many.
     */
    static final int MAX_IMAGES_PER_TASK = 256;
    /** The most tasks per slot an input is cut into for balance: each costs a task's start and a Parquet file. */
    static final int TASKS_PER_SLOT = 8;
    /** The fewest images a task is given for balance, so that a small input is not cut into tasks of one image. */
    static final int MIN_IMAGES_PER_TASK = 4;

    private final String input;
    private final long maxBytes;
    private final List<FileStatus> refused;
    private final long readable;
    private final long readableBytes;

    private InputFiles(String input, long maxBytes, List<FileStatus> refused, long readable, long readableBytes) {
        this.input = input;
        this.maxBytes = maxBytes;
        this.refused = refused;
        this.readable = readable;
        this.readableBytes = readableBytes;
    }

    /** Lists the input's files and their sizes; reads none. */
    static InputFiles list(SparkSession spark, String input, long maxBytes) throws IOException {
        Path pattern = new Path(input);
        FileSystem fs = pattern.getFileSystem(spark.sparkContext().hadoopConfiguration());
        FileStatus[] matched = fs.globStatus(pattern);
        List<FileStatus> refused = new ArrayList<>();
        long readable = 0;
        long readableBytes = 0;
        for (FileStatus status : matched == null ? new FileStatus[0] : matched) {
            for (FileStatus file : status.isDirectory() ? fs.listStatus(status.getPath()) : new FileStatus[]{status}) {
                String name = file.getPath().getName();
                if (!file.isFile() || name.startsWith(".") || name.startsWith("_")) {
                    continue;
                }
                if (file.getLen() == 0 || file.getLen() > maxBytes) {
                    refused.add(file);
                } else {
                    readable++;
                    readableBytes += file.getLen();
                }
            }
        }
        return new InputFiles(input, maxBytes, refused, readable, readableBytes);
    }

    /**
     * The files in range through Spark's binaryFile source, in {@link #partitions} partitions: Spark's own packing
     * of small files (one per 4 MB of its open cost, 128 MB a partition) makes a task of about 30 images, whose
     * fixed costs are then a large part of its time.
     */
    Dataset<Row> read(SparkSession spark) {
        int partitions = partitions(spark, readable);
        long openCost = JavaUtils.byteStringAsBytes(spark.conf().get("spark.sql.files.openCostInBytes", "4MB"));
        long perPartition = (readableBytes + readable * openCost) / partitions;
        // Spark counts each file as its length and the open cost, splits at min(maxPartitionBytes, max(openCost,
        // that total / minPartitionNum)), and closes a partition before a file whose length (without the open cost)
        // would pass the split: a split at the total / partitions less one open cost gives the partitions asked for;
        // less half of one, so that files of a little more than the mean do not leave a partition of a few.
        spark.conf().set("spark.sql.files.minPartitionNum", partitions);
        spark.conf().set("spark.sql.files.maxPartitionBytes", Math.max(1, perPartition - openCost / 2));
        return spark.read().format("binaryFile").load(input)
                .filter(functions.col("length").between(1, maxBytes));
    }

    /** The explained rows and an error row for each file that was not read, in the same columns. */
    Dataset<Row> withRefused(SparkSession spark, Dataset<Row> explained) {
        if (refused.isEmpty()) {
            return explained;
        }
        StructType schema = explained.schema();
        List<Row> rows = new ArrayList<>();
        for (FileStatus file : refused) {
            Object[] values = new Object[schema.size()];
            String path = file.getPath().toString();
            values[schema.fieldIndex("path")] = path;
            values[schema.fieldIndex("modificationTime")] = new Timestamp(file.getModificationTime());
            values[schema.fieldIndex("length")] = file.getLen();
            values[schema.fieldIndex("error")] = new SaliencyException(file.getLen() == 0
                    ? SaliencyException.Kind.IMAGE : SaliencyException.Kind.IMAGE_TOO_LARGE, path,
                    file.getLen() == 0 ? "the file is empty" : "the file has " + file.getLen()
                            + " bytes, more than the limit of " + maxBytes + " (not read)").getMessage();
            rows.add(RowFactory.create(values));
        }
        return explained.unionByName(spark.createDataFrame(rows, schema));
    }

    /**
     * Partitions for {@code images} images, a multiple of the task slots, so that the slots end close together: at
     * most {@value #MAX_IMAGES_PER_TASK} images each, and up to {@value #TASKS_PER_SLOT} per slot of at least
     * {@value #MIN_IMAGES_PER_TASK} images. With two per slot, a DenseNet-201 job of 160 images on 2 cores ran tasks
     * of 40 images (16-19 s), and one slot stood idle for the last 7 s of 60 (Spark's event log, 2026-12-02).
     */
    static int partitions(SparkSession spark, long images) {
        int cpus = Math.max(1, spark.sparkContext().getConf().getInt("spark.task.cpus", 1));
        long slots = Math.max(1, spark.sparkContext().defaultParallelism() / cpus);
        long forBalance = Math.min(TASKS_PER_SLOT, ceilDiv(ceilDiv(images, MIN_IMAGES_PER_TASK), slots));
        long perSlot = Math.max(1, Math.max(forBalance, ceilDiv(ceilDiv(images, MAX_IMAGES_PER_TASK), slots)));
        return (int) Math.min(Integer.MAX_VALUE, perSlot * slots);
    }

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}
