package org.saliency4j.spark;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.saliency4j.SaliencyException;

/** The optional outputs of a row, each one column, emitted only when asked for (they are the large ones). */
enum Output {
    /** The rendering as PNG bytes (an overlay unless the render option says otherwise). */
    OVERLAY("overlay_png", DataTypes.BinaryType),
    /** The map before colour, float32, row-major (H, W) at the model input's size. */
    MAP("map", DataTypes.createArrayType(DataTypes.FloatType, false)),
    /** The method's attribution w.r.t. the model input as an NPY file, float32 (3, H, W). */
    ATTRIBUTION("attribution_npy", DataTypes.BinaryType);

    final String column;
    final DataType type;

    Output(String column, DataType type) {
        this.column = column;
        this.type = type;
    }

    /** The option's own name: overlay, map, attribution. */
    String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a comma-separated list of outputs (none for an empty text).
     *
     * @throws SaliencyException naming {@code outputs} for an unknown name
     */
    static Set<Output> parse(String text) {
        Set<Output> outputs = EnumSet.noneOf(Output.class);
        for (String name : text.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                outputs.add(valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new SaliencyException(SaliencyException.Kind.OPTION, "outputs", "unknown output '" + name.trim()
                        + "' (expected overlay, map or attribution, comma-separated)");
            }
        }
        return outputs;
    }

    static String format(Set<Output> outputs) {
        List<String> names = new ArrayList<>();
        outputs.forEach(o -> names.add(o.optionName()));
        return String.join(",", names);
    }
}
