/**
 * saliency4j on Apache Spark: {@link org.saliency4j.spark.SaliencyTransformer}, a Spark ML transformer that explains
 * the images of a DataFrame ({@code spark.read.format("binaryFile")}), and {@link org.saliency4j.spark.SaliencyJob},
 * the job {@code bin/saliency4j-spark} submits, which writes the explanations as Parquet.
 *
 * <p>Owns: the transformer's parameters and output columns, a partition's batches, the per-executor model cache,
 * the choice of device from a task's resources, the job's input listing, partitions, options and summary. May
 * import: the public API ({@code org.saliency4j}, {@code org.saliency4j.explain}, {@code org.saliency4j.io},
 * {@code org.saliency4j.method}), the demo model ({@code org.saliency4j.models}), SLF4J and Spark.
 * Spark is a provided dependency of this module alone: no other module may import it.
 */
package org.saliency4j.spark;
