package org.saliency4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.saliency4j.RenderOptions;
import org.saliency4j.explain.Explanation;
import org.saliency4j.io.ExplanationJson;
import org.saliency4j.io.NpyWriter;
import org.saliency4j.io.PictureEncoder;

/**
 * The columns a {@link SaliencyTransformer} appends, and their values for one image. The structured ones
 * (predictions, target, region, convergence delta, timings) are the library's JSON record ({@link ExplanationJson}),
 * field for field, so that a row says what the command line and the service say.
 */
final class ResultRows {
    private static final StructType PREDICTION = struct(
            field("index", DataTypes.IntegerType), field("label", DataTypes.StringType),
            field("probability", DataTypes.FloatType));
    private static final StructType TARGET = struct(
            field("index", DataTypes.IntegerType), field("label", DataTypes.StringType),
            field("score", DataTypes.StringType), field("value", DataTypes.FloatType));
    private static final StructType REGION = struct(
            field("x", DataTypes.DoubleType), field("y", DataTypes.DoubleType),
            field("width", DataTypes.DoubleType), field("height", DataTypes.DoubleType));
    private static final StructType TIMINGS = struct(Arrays.stream(new String[]{"decode", "preprocess", "first_pass",
            "attribution", "gradient", "map", "explain"}).map(name -> field(name, DataTypes.DoubleType))
            .toArray(StructField[]::new));

    private final StructType columns;
    private final Set<Output> outputs;
    private final RenderOptions render;
    private final ObjectMapper mapper = new ObjectMapper();

    ResultRows(Set<Output> outputs, RenderOptions render) {
        this.outputs = outputs;
        this.render = render;
        this.columns = columns(outputs);
    }

    /**
     * predictions, target, the outputs asked for, region, convergence_delta (null but for methods that have one),
     * device, warning (why the row ran on the CPU although CUDA was asked for), error (null when the image was
     * explained), timings_ms.
     */
    static StructType columns(Set<Output> outputs) {
        List<StructField> fields = new ArrayList<>();
        fields.add(field("predictions", DataTypes.createArrayType(PREDICTION, false)));
        fields.add(field("target", TARGET));
        if (outputs.contains(Output.OVERLAY)) {
            fields.add(field(Output.OVERLAY.column, DataTypes.BinaryType));
        }
        if (outputs.contains(Output.MAP)) {
            fields.add(field(Output.MAP.column, DataTypes.createArrayType(DataTypes.FloatType, false)));
        }
        if (outputs.contains(Output.ATTRIBUTION)) {
            fields.add(field(Output.ATTRIBUTION.column, DataTypes.BinaryType));
        }
        fields.add(field("region", REGION));
        fields.add(field("convergence_delta", DataTypes.DoubleType));
        fields.add(field("device", DataTypes.StringType));
        fields.add(field("warning", DataTypes.StringType));
        fields.add(field("error", DataTypes.StringType));
        fields.add(field("timings_ms", TIMINGS));
        return struct(fields.toArray(StructField[]::new));
    }

    /** The input row with the explanation's columns appended; renders and encodes here, on the executor. */
    Row explained(Row input, Explanation e, String warning) {
        ObjectNode json = ExplanationJson.of(mapper, e);
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            StructField field = columns.fields()[i];
            values[i] = switch (field.name()) {
                case "overlay_png" -> PictureEncoder.png(e.render(render));
                case "map" -> e.map().toArray();
                case "attribution_npy" -> NpyWriter.bytes(e.attribution());
                case "warning" -> warning;
                case "error" -> null;
                default -> value(json.get(field.name()), field.dataType());
            };
        }
        return append(input, values);
    }

    /** The input row with every column null but the device, the warning and the error. */
    Row failed(Row input, String device, String warning, String error) {
        Object[] values = new Object[columns.size()];
        values[columns.fieldIndex("device")] = device;
        values[columns.fieldIndex("warning")] = warning;
        values[columns.fieldIndex("error")] = error;
        return append(input, values);
    }

    private static Row append(Row input, Object[] values) {
        Object[] all = new Object[input.size() + values.length];
        for (int i = 0; i < input.size(); i++) {
            all[i] = input.get(i);
        }
        System.arraycopy(values, 0, all, input.size(), values.length);
        return RowFactory.create(all);
    }

    /** A JSON value as a Spark value of the column's type. */
    private static Object value(JsonNode node, DataType type) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (type instanceof StructType struct) {
            Object[] values = new Object[struct.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = value(node.get(struct.fields()[i].name()), struct.fields()[i].dataType());
            }
            return RowFactory.create(values);
        }
        if (type instanceof ArrayType array) {
            List<Object> values = new ArrayList<>();
            node.forEach(element -> values.add(value(element, array.elementType())));
            return values.toArray();
        }
        if (type == DataTypes.IntegerType) {
            return node.intValue();
        }
        if (type == DataTypes.FloatType) {
            return node.floatValue();
        }
        if (type == DataTypes.DoubleType) {
            return node.doubleValue();
        }
        return node.asText();
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    private static StructType struct(StructField... fields) {
        return DataTypes.createStructType(fields);
    }
}
