package org.saliency4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.saliency4j.Parameter;
import org.saliency4j.SaliencyException;
import org.saliency4j.models.BuiltinModels;

/**
 * Explains the images of a DataFrame with a saliency4j model: a Spark ML {@link Transformer} over rows of encoded
 * image bytes, such as {@code spark.read.format("binaryFile")} gives ({@code content}, and {@code path} to name
 * them), that keeps the input's columns but the image bytes (unless {@link #setKeepInput keepInput}) and appends
 * the library's results: {@code predictions}, {@code target}, {@code overlay_png}, {@code map},
 * {@code attribution_npy} (those three as {@link #setOutputs outputs} asks; the overlay by default),
 * {@code region}, {@code convergence_delta}, {@code device}, {@code warning}, {@code error} (null when the image was
 * explained) and {@code timings_ms}. A bad image gets its error in its row and the others go on; only a model that
 * cannot be loaded fails the job.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("photos/");
 * Dataset<Row> explained = new SaliencyTransformer().setModel("hdfs:///models/densenet201.pt")
 *         .setOption("method", "smoothgrad").setOption("samples", "16").transform(images);
 * }</pre>
 *
 * <p>The model (a local path or any Hadoop-filesystem URI) is read on the driver, broadcast to the executors with the
 * job, and loaded once per executor JVM and options, shared by its tasks; a JVM keeps two such models, closes the
 * one it evicts once no task uses it, and closes the rest at exit. On the CPU images go through the model one at a
 * time unless {@code batch} is set; a batch also closes when its decoded images reach {@code max-pixels}.
 * Each of the library's explain options is a parameter under its own name ({@code method}, {@code target},
 * {@code topk}, {@code batch}, {@code device}, {@code samples}, ...), as text read by the library's parsers, with the
 * library's defaults when unset; {@code threads} comes from {@code spark.task.cpus}, and {@code device=auto|cuda}
 * takes the GPU Spark assigned to the task. From PySpark: {@code sc._jvm.org.saliency4j.spark.SaliencyTransformer()}.
 *
 * <p>Executors of several JVMs on one machine must not share JavaCPP's native cache
 * ({@code -Dorg.bytedeco.javacpp.cachedir}): see {@link SaliencyJob}.
 */
public final class SaliencyTransformer extends Transformer {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> pathCol;
    private final Param<String> model;
    private final Param<String> outputs;
    private final BooleanParam keepInput;
    /** The library's explain options, one parameter each, by name. */
    private final Map<String, Param<String>> explainParams = new LinkedHashMap<>();
    private Param<?>[] all;
    /** Counts the model loads of the last transform's job. */
    private transient LongAccumulator lastLoads;

    public SaliencyTransformer() {
        this(Identifiable.randomUID("saliency"));
    }

    /** Spark ML builds copies through this constructor ({@link #copy}). */
    public SaliencyTransformer(String uid) {
        this.uid = uid;
        inputCol = new Param<>(uid, "inputCol", "the column of encoded image bytes (JPEG, PNG, BMP, TIFF, WebP)");
        pathCol = new Param<>(uid, "pathCol", "the column that names each image in errors; none when absent");
        model = new Param<>(uid, "model", "the TorchScript model: a Hadoop-filesystem URI, a local path, or a "
                + "built-in name: demo, densenet121/161/169/201 (random weights)");
        outputs = new Param<>(uid, "outputs", "the large outputs to emit, comma-separated: overlay (overlay_png), "
                + "map, attribution (attribution_npy)");
        for (Parameter<?> parameter : ExplainOptions.PARAMETERS) {
            explainParams.put(parameter.name(), new Param<>(uid, parameter.name(), parameter.helpWithDefault()));
        }
        keepInput = new BooleanParam(uid, "keepInput", "whether the output keeps the input column of image bytes "
                + "(by default it does not: it is the largest column, and the images are where they were read)");
        setDefault(model, BuiltinModels.DEMO);
        setDefault(inputCol, "content");
        setDefault(pathCol, "path");
        // The overlay is what a person looks at; the map (a float per input pixel, 200 KB a row at 224 x 224) and
        // the attribution (three times that) are for further computation, on request.
        setDefault(outputs, Output.OVERLAY.optionName());
        setDefault(keepInput, false);
    }

    @Override
    public String uid() {
        return uid;
    }

    /**
     * The fixed parameters and one per explain option. Spark ML finds parameters by reflection on getter methods;
     * the explain options are named by the library's table instead, so they are listed here.
     */
    @Override
    public Param<?>[] params() {
        if (all == null) {
            List<Param<?>> list = new ArrayList<>(List.of(inputCol, pathCol, model, outputs, keepInput));
            list.addAll(explainParams.values());
            all = list.toArray(Param<?>[]::new);
        }
        return all;
    }

    public String getInputCol() {
        return $(inputCol);
    }

    public String getPathCol() {
        return $(pathCol);
    }

    public String getModel() {
        return $(model);
    }

    public String getOutputs() {
        return $(outputs);
    }

    public boolean getKeepInput() {
        return (Boolean) $(keepInput);
    }

    /** Whether the output keeps the input column of image bytes; false by default. */
    public SaliencyTransformer setKeepInput(boolean value) {
        set(keepInput, value);
        return this;
    }

    public SaliencyTransformer setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    public SaliencyTransformer setPathCol(String value) {
        set(pathCol, value);
        return this;
    }

    /**
     * A Hadoop-filesystem URI ({@code hdfs://}, {@code s3a://}, ...), a local path, or a built-in name as the command
     * line's {@code --model} takes it; null for the demo model.
     */
    public SaliencyTransformer setModel(String value) {
        if (value == null) {
            clear(model);
        } else {
            set(model, value);
        }
        return this;
    }

    /** Comma-separated: overlay, map, attribution; empty for none. Default: overlay. */
    public SaliencyTransformer setOutputs(String value) {
        Output.parse(value);
        set(outputs, value);
        return this;
    }

    /**
     * Sets one of the library's explain options by its name, as text (the command line's {@code --topk 3} is
     * {@code setOption("topk", "3")}); null unsets it.
     *
     * @throws SaliencyException naming the option when it is unknown or its value is not valid
     */
    public SaliencyTransformer setOption(String name, String value) {
        Param<String> param = explainParams.get(name);
        if (param == null) {
            throw new SaliencyException(SaliencyException.Kind.OPTION, name, "unknown parameter (known: "
                    + String.join(", ", explainParams.keySet().stream().sorted().toList()) + ")");
        }
        if (value == null) {
            clear(param);
        } else {
            new ExplainOptions(Map.of(name, value)).validated();
            set(param, value);
        }
        return this;
    }

    /** The explain options set, by name. */
    ExplainOptions explainOptions() {
        Map<String, String> text = new LinkedHashMap<>();
        explainParams.forEach((name, param) -> {
            if (isSet(param)) {
                text.put(name, $(param));
            }
        });
        return new ExplainOptions(text).validated();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        StructField content = field(schema, $(inputCol));
        if (content == null || content.dataType() != DataTypes.BinaryType) {
            throw new IllegalArgumentException("the input column '" + $(inputCol) + "' must be binary (image bytes), "
                    + "found " + (content == null ? "no such column" : content.dataType().simpleString()));
        }
        StructField path = field(schema, $(pathCol));
        if (path != null && path.dataType() != DataTypes.StringType) {
            throw new IllegalArgumentException("the path column '" + $(pathCol) + "' must be a string, found "
                    + path.dataType().simpleString());
        }
        StructType appended = ResultRows.columns(Output.parse($(outputs)));
        for (StructField field : appended.fields()) {
            if (field(schema, field.name()) != null) {
                throw new IllegalArgumentException("the input already has a column '" + field.name() + "'");
            }
        }
        List<StructField> fields = new ArrayList<>();
        for (int i : kept(schema)) {
            fields.add(schema.fields()[i]);
        }
        fields.addAll(Arrays.asList(appended.fields()));
        return DataTypes.createStructType(fields);
    }

    /** The places of the input columns the output keeps: all of them, but the image bytes unless asked. */
    private int[] kept(StructType schema) {
        int content = schema.fieldIndex($(inputCol));
        return IntStream.range(0, schema.size()).filter(i -> i != content || getKeepInput()).toArray();
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema());
        ExplainOptions options = explainOptions();
        SparkSession spark = dataset.sparkSession();
        ShippedModel shipped = ShippedModel.of(spark, $(model));
        LongAccumulator loads = spark.sparkContext().longAccumulator("saliency4j model loads");
        lastLoads = loads;
        StructType input = dataset.schema();
        PartitionExplainer explainer = new PartitionExplainer(shipped, options, Output.parse($(outputs)),
                kept(input), input.fieldIndex($(inputCol)),
                field(input, $(pathCol)) == null ? -1 : input.fieldIndex($(pathCol)), loads);
        return dataset.toDF().mapPartitions(explainer, Encoders.row(schema));
    }

    /**
     * The models the executors loaded for the last {@link #transform} of this transformer, once its result has been
     * computed: at most one per executor JVM (none where the model was already loaded by an earlier job).
     */
    public long modelLoads() {
        return lastLoads == null ? 0 : lastLoads.value();
    }

    @Override
    public SaliencyTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    private static StructField field(StructType schema, String name) {
        return Arrays.stream(schema.fields()).filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }
}
