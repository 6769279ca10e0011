package org.saliency4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.saliency4j.CropRegion;
import org.saliency4j.RenderOptions;
import org.saliency4j.TargetScore;
import org.saliency4j.Timings;
import org.saliency4j.explain.Explanation;
import org.saliency4j.io.NpyWriter;
import org.saliency4j.io.PictureEncoder;

/**
 * The columns a {@link SaliencyTransformer} appends, and their values for one image, made from the explanation in
 * one step: the names and units are those of the library's JSON record ({@code ExplanationJson}), so that a row
 * says what the command line and the service say, without building that record's tree for every row.
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

    private final Set<Output> outputs;
    private final RenderOptions render;
    /** The input columns each output row starts with, by their place in the input row. */
    private final int[] kept;
    private final int width;

    /**
     * @param outputs the large columns to emit
     * @param kept    the places of the input columns that the output keeps, in order
     */
    ResultRows(Set<Output> outputs, RenderOptions render, int[] kept) {
        this.outputs = EnumSet.noneOf(Output.class);
        this.outputs.addAll(outputs);
        this.render = render;
        this.kept = kept.clone();
        this.width = kept.length + columns(outputs).size();
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
        for (Output output : Output.values()) {
            if (outputs.contains(output)) {
                fields.add(field(output.column, output.type));
            }
        }
        fields.add(field("region", REGION));
        fields.add(field("convergence_delta", DataTypes.DoubleType));
        fields.add(field("device", DataTypes.StringType));
        fields.add(field("warning", DataTypes.StringType));
        fields.add(field("error", DataTypes.StringType));
        fields.add(field("timings_ms", TIMINGS));
        return struct(fields.toArray(StructField[]::new));
    }

    /** The kept input columns with the explanation's appended; renders and encodes here, on the executor. */
    Row explained(Row input, Explanation e, String warning) {
        Object[] values = start(input);
        int i = kept.length;
        values[i++] = e.predictions().stream()
                .map(p -> RowFactory.create(p.index(), p.label(), p.probability())).toArray();
        TargetScore t = e.target();
        values[i++] = RowFactory.create(t.index(), t.label(), t.score().optionName(), t.value());
        for (Output output : Output.values()) {
            if (outputs.contains(output)) {
                values[i++] = switch (output) {
                    case OVERLAY -> PictureEncoder.png(e.render(render));
                    case MAP -> e.map().toArray();
                    case ATTRIBUTION -> NpyWriter.bytes(e.attribution());
                };
            }
        }
        CropRegion r = e.region();
        values[i++] = RowFactory.create(r.x(), r.y(), r.width(), r.height());
        values[i++] = Double.isNaN(e.convergenceDelta()) ? null : e.convergenceDelta();
        values[i++] = e.model().device();
        values[i++] = warning;
        values[i++] = null;
        Timings ms = e.timings();
        // gradient: the first pass and the attribution together, under the name earlier output gave them.
        values[i] = RowFactory.create(ms.decodeMs(), ms.preprocessMs(), ms.firstPassMs(), ms.attributionMs(),
                ms.firstPassMs() + ms.attributionMs(), ms.mapMs(), ms.totalMs());
        return RowFactory.create(values);
    }

    /** The kept input columns with every appended one null but the device, the warning and the error. */
    Row failed(Row input, String device, String warning, String error) {
        Object[] values = start(input);
        // The last four: device, warning, error, timings_ms.
        values[width - 4] = device;
        values[width - 3] = warning;
        values[width - 2] = error;
        return RowFactory.create(values);
    }

    private Object[] start(Row input) {
        Object[] values = new Object[width];
        for (int i = 0; i < kept.length; i++) {
            values[i] = input.get(kept[i]);
        }
        return values;
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    private static StructType struct(StructField... fields) {
        return DataTypes.createStructType(fields);
    }
}
