package io.github.dl4jserving;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.ApplicationContext;

/** What a module test started: the project's modules that have a bean in the context. */
public final class ModuleBeans {
    private static final String ROOT = "io.github.dl4jserving.";

    private ModuleBeans() {}

    /** The top-level packages under the project's root with at least one bean, sorted. */
    public static Set<String> modules(ApplicationContext context) {
        Set<String> modules = new TreeSet<>();
        Arrays.stream(context.getBeanDefinitionNames())
                .map(context::getType)
                .filter(Objects::nonNull)
                .map(Class::getName)
                .filter(n -> n.startsWith(ROOT) && n.indexOf('.', ROOT.length()) > 0)
                .map(n -> n.substring(ROOT.length(), n.indexOf('.', ROOT.length())))
                .forEach(modules::add);
        return modules;
    }
}
