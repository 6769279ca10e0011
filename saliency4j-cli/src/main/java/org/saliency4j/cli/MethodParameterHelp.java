package org.saliency4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import org.saliency4j.method.MethodParameter;
import org.saliency4j.method.Methods;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The method options' defaults and help, read from the method registry rather than written again here: an option
 * whose description key is {@code method.NAME} takes the default and the help of the registry's parameter NAME
 * ({@code method.method} is the method itself).
 */
final class MethodParameterHelp extends ListResourceBundle implements CommandLine.IDefaultValueProvider {
    static final String PREFIX = "method.";
    static final String METHOD = PREFIX + "method";
    private static final String DEFAULT_METHOD = "vanilla";

    /** Gives every command under {@code root} the registry's defaults and help for its method options. */
    static void install(CommandLine root) {
        MethodParameterHelp help = new MethodParameterHelp();
        root.setResourceBundle(help);
        root.setDefaultValueProvider(help);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || !option.descriptionKey().startsWith(PREFIX)) {
            return null;
        }
        if (option.descriptionKey().equals(METHOD)) {
            return DEFAULT_METHOD;
        }
        return parameter(option.descriptionKey()).defaultValue();
    }

    @Override
    protected Object[][] getContents() {
        List<Object[]> contents = new ArrayList<>();
        contents.add(new Object[]{METHOD, Methods.names() + "; a noise tunnel may name its base, e.g. "
                + "smoothgrad:gradient-x-input (default: ${DEFAULT-VALUE})."});
        for (MethodParameter p : MethodParameter.values()) {
            contents.add(new Object[]{PREFIX + p.parameterName(),
                    p.help() + (p.defaultValue() != null ? " (default: ${DEFAULT-VALUE})." : ".")});
        }
        return contents.toArray(Object[][]::new);
    }

    private static MethodParameter parameter(String key) {
        MethodParameter p = MethodParameter.named(key.substring(PREFIX.length()));
        if (p == null) {
            throw new IllegalStateException("no method parameter for the option key " + key);
        }
        return p;
    }
}
