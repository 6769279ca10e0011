package org.saliency4j.cli;

import java.io.PrintWriter;
import org.saliency4j.SaliencyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code saliency4j} command. Exit codes: 0 success; 1 a run that failed in part or whole (a bad image, model
 * or device); 2 a usage error (an unknown option, a bad value, an unknown target class).
 */
@Command(name = "saliency4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Saliency maps for TorchScript image classifiers, through libtorch and OpenCV.",
        subcommands = {ExplainCommand.class, ServeCommand.class, ModelCommand.class, EvalCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code, without exiting. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out).setErr(err);
        VocabularyOptions.bind(cl);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> failure(e, commandLine));
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** One line, not the whole usage text: the user knows the command and needs to see what was wrong. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("saliency4j: " + e.getMessage());
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for the options.");
        return EXIT_USAGE;
    }

    private static int failure(Exception e, CommandLine cl) {
        PrintWriter err = cl.getErr();
        err.println("saliency4j: " + describe(e, cl.getCommandSpec()));
        if (isVerbose(cl)) {
            e.printStackTrace(err);
        }
        return e instanceof SaliencyException s && (s.kind() == SaliencyException.Kind.OPTION
                || s.kind() == SaliencyException.Kind.TARGET) ? EXIT_USAGE : EXIT_FAILED;
    }

    /**
     * One line. The library names parameters neutrally ({@code target: ...}); here a parameter that is one of the
     * command's options is shown as the user typed it ({@code --target: ...}, and eval's {@code --noise-samples}
     * for the methods' {@code samples}). Anything else shows its first line only: libtorch's messages carry whole
     * C++ backtraces, which {@code --verbose} prints.
     */
    static String describe(Throwable e, CommandLine.Model.CommandSpec command) {
        if (e instanceof SaliencyException s) {
            String parameter = s.input().split(" ", 2)[0];
            boolean named = s.kind() == SaliencyException.Kind.OPTION || s.kind() == SaliencyException.Kind.TARGET
                    || s.kind() == SaliencyException.Kind.DEVICE;
            String option = named ? optionFor(parameter, command) : null;
            return option != null && s.getMessage().startsWith(parameter)
                    ? option + s.getMessage().substring(parameter.length()) : s.getMessage();
        }
        return e.toString().strip().lines().findFirst().orElse(e.getClass().getName());
    }

    /**
     * The command's option for a parameter: the one bound to it ({@link VocabularyOptions}), else one spelled as it
     * and bound to nothing else; null when the command has none.
     */
    private static String optionFor(String parameter, CommandLine.Model.CommandSpec command) {
        for (CommandLine.Model.OptionSpec option : command.options()) {
            if (parameter.equals(option.descriptionKey())) {
                return option.longestName();
            }
        }
        CommandLine.Model.OptionSpec same = command.findOption("--" + parameter);
        return same != null && !VocabularyOptions.isBound(same) ? same.longestName() : null;
    }

    private static boolean isVerbose(CommandLine cl) {
        return cl.getParseResult() != null && cl.getParseResult().hasMatchedOption(VerboseOption.NAME);
    }
}
