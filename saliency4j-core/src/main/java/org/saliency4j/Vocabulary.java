package org.saliency4j;

import java.util.List;

/**
 * The parameters of a request, its rendering and a model's loading, each written once: its name, default, bounds
 * and help. The library's factories ({@link org.saliency4j.explain.ExplainRequest#defaults()},
 * {@link RenderOptions#defaults()}, {@link ModelOptions#defaults()}, ...) take their defaults from here and name these parameters in their errors; the
 * command line shows them as options ({@code --topk}) and the service reads them as query parameters
 * ({@code ?topk=}), both from this table. The methods' own parameters (samples, steps, layer, ...) belong to the
 * methods.
 */
public final class Vocabulary {
    /** The class to explain. */
    public static final Parameter<Target> TARGET = Parameter.of("target", Target.class, Target::parse)
            .withDefault("top1")
            .withHelp("The class to explain: top1, rankK (the K-th most probable), a class index or a class name "
                    + "(as written; ignoring case only where that matches one class)");
    public static final Parameter<Score> SCORE = Parameter.choice("score", Score.class)
            .withDefault("logit")
            .withHelp("logit, probability or log-probability");
    public static final Parameter<Integer> TOPK = Parameter.integer("topk", 1, Integer.MAX_VALUE)
            .withDefault("5")
            .withHelp("Predictions to list");
    public static final Parameter<Preprocessing.Mode> PREPROCESS = Parameter.choice("preprocess",
                    Preprocessing.Mode.class)
            .withDefault("torchvision")
            .withModelDefault("the model card's, else torchvision")
            .withHelp("torchvision (resize, centre crop) or stretch");
    /** Its lower bound is the input size, which {@link Preprocessing} checks. */
    public static final Parameter<Integer> RESIZE = Parameter.integer("resize", 8, 8192)
            .withDefault("256")
            .withModelDefault("the model card's, else 256")
            .withHelp("Shorter side after resizing, torchvision mode");
    public static final Parameter<Integer> INPUT_SIZE = Parameter.integer("input-size", 8, 4096)
            .withDefault("224")
            .withModelDefault("the model card's, else 224")
            .withHelp("Side of the square model input");
    public static final Parameter<Reduction> REDUCE = Parameter.choice("reduce", Reduction.class)
            .withDefault("abs-max")
            .withHelp("Channel reduction: sum, abs-sum, abs-max, l2 or seed");
    public static final Parameter<Normalization> NORMALIZE = Parameter.of("normalize", Normalization.class,
                    Normalization::parse)
            .withDefault("minmax")
            .withHelp("minmax, percentile:P or none");

    public static final Parameter<RenderKind> RENDER = Parameter.choice("render", RenderKind.class)
            .withDefault("overlay")
            .withHelp("overlay, heatmap or panel");
    public static final Parameter<ColorMap> COLORMAP = Parameter.choice("colormap", ColorMap.class)
            .withDefault("jet")
            .withHelp("gray, jet, turbo, inferno, viridis, ...");
    public static final Parameter<Double> ALPHA = Parameter.decimal("alpha", 0, 1)
            .withDefault("0.5")
            .withHelp("Heat map weight in the overlay");
    /** Each end is given or {@code auto}, independently. */
    public static final Parameter<Double> VMIN = Parameter.decimalOrAuto("vmin")
            .withDefault(Parameter.AUTO)
            .withHelp("Panel contrast window low end; auto: the tutorial's " + number(RenderOptions.TUTORIAL_VMIN)
                    + " for the seed reduction, else the map's minimum");
    public static final Parameter<Double> VMAX = Parameter.decimalOrAuto("vmax")
            .withDefault(Parameter.AUTO)
            .withHelp("Panel contrast window high end; auto: the tutorial's " + number(RenderOptions.TUTORIAL_VMAX)
                    + " for the seed reduction, else the map's " + number(RenderOptions.AUTOMATIC_VMAX_PERCENTILE)
                    + "th percentile");
    public static final Parameter<Double> MIX = Parameter.positive("mix")
            .withDefault("2")
            .withHelp("Third panel: map*mix + input/mix");
    public static final Parameter<Geometry> GEOMETRY = Parameter.choice("geometry", Geometry.class)
            .withDefault("crop")
            .withHelp("crop (model input) or original");

    public static final Parameter<String> DEVICE = Parameter.text("device")
            .withDefault("auto")
            .withHelp("auto, cpu, cuda or cuda:N");
    /** Bounded by this machine: past the cores, more threads only wait on each other. */
    public static final Parameter<Integer> THREADS = Parameter.integer("threads", 0, EngineSettings.maxThreads())
            .withDefault("0")
            .withHelp("libtorch intra-op threads (each worker's, where several explain at once), at most "
                    + EngineSettings.THREADS_PER_CORE + " per processor; 0: the measured default (with workers, the "
                    + "cores they leave; alone, one on machines of up to " + EngineSettings.SMALL_MACHINE_CORES
                    + " cores, else libtorch's own count)");
    public static final Parameter<Integer> PASS_THREADS = Parameter.integer("pass-threads", 0,
                    EngineSettings.maxThreads())
            .withDefault("0")
            .withHelp("Threads that run one image's independent passes at once (noisy copies, path points, masks, "
                    + "windows, channels); 0 or 1: the calling thread");
    /** A few passes make TorchScript's profiling executor settle; a hundred is already far past any use. */
    public static final Parameter<Integer> WARMUP = Parameter.integer("warmup", 0, 100)
            .withDefault("3")
            .withHelp("Forward and backward passes paid at load (TorchScript's profiling executor makes the first "
                    + "calls slow)");
    public static final Parameter<Long> MAX_PIXELS = Parameter.longInteger("max-pixels", 1, Long.MAX_VALUE)
            .withDefault("64000000")
            .withHelp("Largest image, by the pixels its header declares; refused before decoding");
    /** 0 stands for the device's measured default ({@link ModelOptions#defaultBatch}). */
    public static final Parameter<Integer> BATCH = Parameter.integer("batch", 0, 4096)
            .withDefault("0")
            .withModelDefault("0, the device's: " + ModelOptions.CPU_BATCH + " on CPU, " + ModelOptions.CUDA_BATCH
                    + " on CUDA")
            .withHelp("Most inputs (noisy copies, path points, targets) through the model at once; bounds memory");

    private static final List<Parameter<?>> ALL = List.of(TARGET, SCORE, TOPK, PREPROCESS, RESIZE, INPUT_SIZE, REDUCE,
            NORMALIZE, RENDER, COLORMAP, ALPHA, VMIN, VMAX, MIX, GEOMETRY, DEVICE, THREADS, WARMUP, MAX_PIXELS, BATCH);

    private Vocabulary() {
    }

    /** A number in a help text: 0.3, 99. */
    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** Every parameter of the table, in the order above. */
    public static List<Parameter<?>> all() {
        return ALL;
    }
}
