package org.saliency4j.cli;

import java.util.List;
import java.util.ListResourceBundle;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.saliency4j.Parameter;
import org.saliency4j.SaliencyException;
import org.saliency4j.Vocabulary;
import org.saliency4j.method.MethodParameters;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Feeds picocli from the {@link Vocabulary} and the {@link MethodParameters}: an option whose {@code descriptionKey} names a parameter
 * ({@code @Option(names = "--topk", descriptionKey = "topk")}) takes that parameter's default and help from the
 * table, so that its annotation keeps only its names and type; the library types are converted by the table's
 * parsers. Options without a key keep their annotation's default and help: those of the command line alone
 * ({@code --zoom}), and those that share a name with a parameter but mean something else there ({@code eval}'s
 * {@code --samples} counts images, {@code bench}'s {@code --batch} sweeps).
 */
final class VocabularyOptions {
    /**
     * The table, and the methods' parameters, as the command line reads them: several targets at once, and every
     * rendering at once.
     */
    static final List<Parameter<?>> PARAMETERS = Stream.concat(Vocabulary.all().stream(),
            MethodParameters.all().stream()).map(p -> p == Vocabulary.TARGET
            ? p.withHelp("Classes to explain: top1, topK (the K most probable), rankK, an index or a name (as written; "
            + "ignoring case only where that matches one class); several share one forward pass and add the class "
            + "index to output names")
            : p == Vocabulary.RENDER ? p.withHelp("overlay, heatmap, panel or all") : p)
            .collect(Collectors.toUnmodifiableList());

    private static final Map<String, Parameter<?>> BY_NAME = PARAMETERS.stream()
            .collect(Collectors.toUnmodifiableMap(Parameter::name, Function.identity()));

    private VocabularyOptions() {
    }

    /**
     * Gives every option of the command line and its subcommands that names a parameter its default, help and
     * converter.
     */
    static void bind(CommandLine commandLine) {
        for (Parameter<?> parameter : PARAMETERS) {
            if (!parameter.type().getName().startsWith("java.")) {
                // Numbers and text are picocli's to convert, for every option alike; the library's types are ours.
                register(commandLine, parameter);
            }
        }
        commandLine.setDefaultValueProvider(arg -> arg instanceof OptionSpec option && isBound(option)
                && !parameter(option).defaultsFromModel() ? parameter(option).defaultText().orElse(null) : null);
        CommandLine.Model.Messages help = new CommandLine.Model.Messages(commandLine.getCommandSpec(), new Help());
        bindHelp(commandLine, help);
    }

    /** The parameter a bound option names. */
    static Parameter<?> parameter(OptionSpec option) {
        return BY_NAME.get(option.descriptionKey());
    }

    /** Whether the option's description key names a parameter (picocli's own options have keys of their own). */
    static boolean isBound(OptionSpec option) {
        return option.descriptionKey() != null && BY_NAME.containsKey(option.descriptionKey());
    }

    private static void bindHelp(CommandLine commandLine, CommandLine.Model.Messages help) {
        for (OptionSpec option : commandLine.getCommandSpec().options()) {
            if (isBound(option)) {
                // Only the bound options read the table's help: picocli would otherwise also look up every other
                // option by its name, and give eval's --samples the help of a parameter it is not.
                option.messages(help);
            }
        }
        commandLine.getSubcommands().values().forEach(sub -> bindHelp(sub, help));
    }

    private static <T> void register(CommandLine commandLine, Parameter<T> parameter) {
        commandLine.registerConverter(parameter.type(), text -> converted(parameter, text));
    }

    /** The parameter's value, or picocli's conversion error with the library's words. */
    private static <T> T converted(Parameter<T> parameter, String text) {
        try {
            return parameter.parse(text);
        } catch (SaliencyException e) {
            throw new CommandLine.TypeConversionException(e.problem());
        }
    }

    /**
     * An end of the panel's window, a number or {@code auto}: picocli converts plain doubles itself, so the options
     * {@code --vmin} and {@code --vmax} name this converter in their annotations. Both ends read alike; picocli's
     * message names the option.
     */
    static final class WindowEnd implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String text) {
            return converted(Vocabulary.VMIN, text);
        }
    }

    /** Integrated gradients' steps, a count or {@code auto}: picocli converts plain ints itself, as for the window. */
    static final class StepCount implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return converted(MethodParameters.STEPS, text);
        }
    }

    /** Each parameter's help with its default, under its name. */
    private static final class Help extends ListResourceBundle {
        @Override
        protected Object[][] getContents() {
            return PARAMETERS.stream().map(p -> new Object[]{p.name(), p.helpWithDefault()}).toArray(Object[][]::new);
        }
    }
}
