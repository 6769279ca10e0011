package org.saliency4j.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.saliency4j.ImageLimits;
import org.saliency4j.Parameter;
import org.saliency4j.SaliencyException;
import org.saliency4j.Vocabulary;
import org.saliency4j.io.AtomicFiles;
import org.saliency4j.io.PictureEncoder;
import org.saliency4j.models.ShapesTask;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The job {@code bin/saliency4j-spark} submits ({@code spark-submit --class org.saliency4j.spark.SaliencyJob}):
 * explains every image of a folder or glob with {@link SaliencyTransformer}, writes the rows as Parquet (without the
 * image bytes), optionally the renderings as PNG files, and prints a summary: images, errors, images per second,
 * model loads, and the explained classes. It exits 0 when the job ran, whatever bad images it met (their rows carry
 * the error), 1 when it could not run (a model that cannot be loaded, an output that exists), 2 for bad options.
 *
 * <p>It lists the input's files and their sizes before it reads any ({@link InputFiles}): an empty file, or one over
 * the library's 128 MiB, is an error row and is never read; the others are read in partitions of at most 256
 * images, as many per task slot ({@link InputFiles#partitions}).
 *
 * <p>The explain options are the library's, by the command line's names ({@code --method}, {@code --target},
 * {@code --topk}, {@code --batch}, {@code --device}, ...), with the library's defaults. Without {@code --model} it
 * explains with the demo model; without {@code --input}, the demo task's images.
 *
 * <p>In local mode, where this JVM is the executor, it loads the model while Spark starts ({@link EarlyLoad}).
 *
 * <p>On a cluster it gives each executor its own JavaCPP cache ({@value #JAVACPP_CACHE} in the executor's working
 * directory) unless {@code spark.executor.extraJavaOptions} sets one: executor JVMs that unpack libtorch into one
 * shared empty cache at once crashed (SIGBUS in {@code System.load}, bytedeco/javacpp#608).
 */
public final class SaliencyJob {
    static final String JAVACPP_CACHE = "javacpp-cache";
    private static final String CACHE_PROPERTY = "-Dorg.bytedeco.javacpp.cachedir";
    /** The demo task's images when no input is given: its own seed, as many as a small demo needs. */
    private static final int DEMO_IMAGES = 64;
    private static final long DEMO_SEED = 2026;

    private SaliencyJob() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the job in this JVM's Spark session (created from spark-submit's configuration); returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(spec());
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("saliency4j-spark: " + e.getMessage());
            return 2;
        }
        if (parsed.isUsageHelpRequested()) {
            commandLine.usage(out);
            return 0;
        }
        SaliencyTransformer transformer = new SaliencyTransformer();
        try {
            for (Parameter<?> parameter : ExplainOptions.PARAMETERS) {
                if (parsed.hasMatchedOption("--" + parameter.name())) {
                    transformer.setOption(parameter.name(), parsed.matchedOptionValue("--" + parameter.name(), ""));
                }
            }
            transformer.setModel(parsed.matchedOptionValue("--model", null));
            Path pngDir = parsed.matchedOptionValue("--png-dir", null);
            String outputs = parsed.matchedOptionValue("--outputs", transformer.getOutputs());
            if (pngDir != null && !Output.parse(outputs).contains(Output.OVERLAY)) {
                outputs = Output.format(Output.parse(outputs)) + "," + Output.OVERLAY.optionName();
            }
            transformer.setOutputs(outputs);
        } catch (SaliencyException e) {
            err.println("saliency4j-spark: " + e.getMessage());
            return 2;
        }
        SparkConf conf = executorDefaults(new SparkConf(), transformer.explainOptions());
        try (EarlyLoad early = EarlyLoad.start(conf, transformer.getModel(), transformer.explainOptions())) {
            return run(parsed, transformer, SparkSession.builder().config(conf).appName("saliency4j").getOrCreate(),
                    early, out, err);
        }
    }

    /** Runs the parsed job in {@code spark}, which it stops. */
    private static int run(ParseResult parsed, SaliencyTransformer transformer, SparkSession spark, EarlyLoad early,
                           PrintStream out, PrintStream err) {
        try {
            String input = parsed.matchedOptionValue("--input", null);
            String output = parsed.matchedOptionValue("--output", null);
            long start = System.nanoTime();
            Dataset<Row> explained;
            if (input == null) {
                explained = transformer.transform(demoImages(spark));
            } else {
                InputFiles files = InputFiles.list(spark, input, ImageLimits.defaults().maxBytes());
                explained = files.withRefused(spark, transformer.transform(files.read(spark)));
            }
            explained.write().parquet(output);
            double seconds = (System.nanoTime() - start) / 1e9;
            Dataset<Row> written = spark.read().parquet(literal(output));
            summary(written, seconds, transformer.modelLoads(), early.awaitLoads(), output, out);
            Path png = parsed.matchedOptionValue("--png-dir", null);
            if (png != null) {
                out.println("renderings: " + writePngs(written, png) + " PNG files in " + png);
            }
            return 0;
        } catch (Exception e) {
            // Spark's AnalysisException (an output that exists, an input that does not) is a checked exception.
            err.println("saliency4j-spark: the job failed: " + rootMessage(e));
            return 1;
        } finally {
            spark.stop();
        }
    }

    /** The options: the job's own, then the library's explain options by their names, help and defaults. */
    private static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name("saliency4j-spark").mixinStandardHelpOptions(true);
        spec.usageMessage().description("Explains every image of a folder or glob on Spark and writes Parquet.");
        spec.addOption(OptionSpec.builder("--input").paramLabel("DIR|GLOB").type(String.class).description(
                "Images to explain: a folder, a glob or a Hadoop-filesystem URI (default: "
                        + DEMO_IMAGES + " images of the demo task).").build());
        spec.addOption(OptionSpec.builder("--output").paramLabel("DIR").type(String.class).required(true)
                .description("Where the Parquet files go; must not exist.").build());
        spec.addOption(OptionSpec.builder("--model").paramLabel("FILE|URI|NAME").type(String.class).description(
                "TorchScript model: a Hadoop-filesystem URI, a path, or a built-in name: demo, "
                        + "densenet121/161/169/201 (random weights) (default: demo).").build());
        spec.addOption(OptionSpec.builder("--outputs").paramLabel("LIST").type(String.class).description(
                "Large outputs in the Parquet, comma-separated: overlay, map, attribution; empty for none "
                        + "(default: overlay).").build());
        spec.addOption(OptionSpec.builder("--png-dir").paramLabel("DIR").type(Path.class).description(
                "Also write each rendering as <image-stem>-saliency.png here.").build());
        for (Parameter<?> parameter : ExplainOptions.PARAMETERS) {
            spec.addOption(OptionSpec.builder("--" + parameter.name()).type(String.class)
                    .paramLabel(parameter.name().toUpperCase(Locale.ROOT)).description(parameter.helpWithDefault())
                    .build());
        }
        return spec;
    }

    /**
     * The configuration with what executors need unless it sets it: a JavaCPP cache of their own, and the OpenCV
     * settings bin/saliency4j gives (its own log quiet, its decoders bounded by {@code max-pixels} too).
     */
    static SparkConf executorDefaults(SparkConf conf, ExplainOptions options) {
        String javaOptions = conf.get("spark.executor.extraJavaOptions", "");
        if (!javaOptions.contains(CACHE_PROPERTY)) {
            conf.set("spark.executor.extraJavaOptions",
                    (javaOptions + " " + CACHE_PROPERTY + "=" + JAVACPP_CACHE).trim());
        }
        conf.setIfMissing("spark.executorEnv.OPENCV_LOG_LEVEL", "SILENT");
        conf.setIfMissing("spark.executorEnv.OPENCV_IO_MAX_IMAGE_PIXELS",
                String.valueOf(options.value(Vocabulary.MAX_PIXELS)));
        return conf;
    }

    /** The demo task's images, made on the driver: no file to share with the executors. */
    private static Dataset<Row> demoImages(SparkSession spark) {
        ShapesTask task = new ShapesTask(DEMO_SEED);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < DEMO_IMAGES; i++) {
            byte[] png = PictureEncoder.png(task.sample(i).image());
            rows.add(RowFactory.create(String.format(Locale.ROOT, "demo-%02d.png", i), png));
        }
        return spark.createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("path", DataTypes.StringType, false),
                DataTypes.createStructField("content", DataTypes.BinaryType, false))))
                .repartition(InputFiles.partitions(spark, DEMO_IMAGES));
    }

    /**
     * @param loads      the tasks' model loads
     * @param earlyLoads the loads made while Spark started ({@link EarlyLoad})
     */
    private static void summary(Dataset<Row> rows, double seconds, long loads, int earlyLoads, String output,
                                PrintStream out) {
        long images = rows.count();
        long errors = rows.filter("error IS NOT NULL").count();
        Map<String, Long> classes = new TreeMap<>();
        rows.filter("error IS NULL").groupBy("target.label").count().collectAsList()
                .forEach(r -> classes.put(r.getString(0), r.getLong(1)));
        out.printf(Locale.ROOT, "saliency4j-spark: %d images, %d errors, %.1f images/s (%.1f s), %d model loads%s%n",
                images, errors, images / seconds, seconds, loads + earlyLoads,
                earlyLoads > 0 ? " (" + earlyLoads + " while Spark started)" : "");
        Map<String, Long> sorted = new LinkedHashMap<>();
        classes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        out.println("classes: " + (sorted.isEmpty() ? "none" : String.join(", ", sorted.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList())));
        rows.filter("error IS NOT NULL").select("error").limit(5).collectAsList()
                .forEach(r -> out.println("error: " + r.getString(0)));
        out.println("output: " + output + " (Parquet)");
    }

    /**
     * Writes each rendering whole or not at all, as {@code <stem>-saliency.png}; a stem seen before (x.png in two
     * folders, or x.png and x.jpg) gets its image's place in the output instead, so that no rendering replaces
     * another. Runs on the driver, over the Parquet just written.
     */
    private static int writePngs(Dataset<Row> rows, Path dir) throws IOException {
        Set<String> used = new HashSet<>();
        int written = 0;
        Iterator<Row> it = rows.filter("overlay_png IS NOT NULL").select("path", "overlay_png").toLocalIterator();
        for (int index = 0; it.hasNext(); index++) {
            Row row = it.next();
            String stem = stem(row.getString(0));
            String name = used.add(stem) ? stem : stem + "-" + index;
            AtomicFiles.write(dir.resolve(name + "-saliency.png"), (byte[]) row.get(1));
            written++;
        }
        return written;
    }

    /** A path that Spark reads as it is, not as a glob: the output folder may be called local[2]. */
    static String literal(String path) {
        return path.replaceAll("([\\\\\\[\\]{}*?])", "\\\\$1");
    }

    /** The file name without its extension, from a path or a URI. */
    static String stem(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : root.getMessage() + " (" + firstLine(e.getMessage()) + ")";
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
