package io.github.dl4jserving.web;

import java.beans.PropertyEditorSupport;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.beans.PropertyEditorRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.support.FormattingConversionService;
import org.springframework.validation.Validator;
import org.springframework.web.bind.support.ConfigurableWebBindingInitializer;
import tools.jackson.core.StreamReadFeature;

/**
 * Whole numbers in paths and query strings ({@code version}, {@code k}, {@code count}, {@code seed})
 * are plain decimal: an optional minus and digits without leading zeros. Spring's default parses
 * them with {@code Integer.decode}, which took {@code 0x1}, {@code +1} and {@code 01} as version 1
 * (and {@code 010} as 8); it is also the fallback after a failed conversion, so the strict parsers
 * are registered as the binder's own editors, which Spring asks first. Anything else is a 400
 * problem naming the parameter.
 *
 * <p>JSON bodies may not name a key twice in one object: Jackson's default let the last one win,
 * so {@code {"model": "a", "model": "b"}} meant b to the service and perhaps a to a proxy or a log
 * reader. {@code STRICT_DUPLICATE_DETECTION} makes it a 400 problem.
 */
@Configuration(proxyBeanMethods = false)
class StrictNumbers {
    private static final Pattern PLAIN = Pattern.compile("-?(0|[1-9][0-9]{0,18})");

    /**
     * Spring MVC's binding initializer as Boot would make it, plus the strict editors. Registered
     * here rather than by an {@code @InitBinder} advice, which Spring invokes reflectively for every
     * binder (one per request parameter): that cost the JSON-row path about a tenth of its throughput.
     */
    @Bean
    ConfigurableWebBindingInitializer configurableWebBindingInitializer(
            @Qualifier("mvcConversionService") FormattingConversionService conversionService,
            @Qualifier("mvcValidator") Validator validator) {
        ConfigurableWebBindingInitializer initializer = new ConfigurableWebBindingInitializer();
        initializer.setConversionService(conversionService);
        initializer.setValidator(validator);
        initializer.setPropertyEditorRegistrar(StrictNumbers::plainDecimal);
        return initializer;
    }

    static void plainDecimal(PropertyEditorRegistry binder) {
        binder.registerCustomEditor(int.class, new Plain(Integer::valueOf, false));
        binder.registerCustomEditor(Integer.class, new Plain(Integer::valueOf, true));
        binder.registerCustomEditor(long.class, new Plain(Long::valueOf, false));
        binder.registerCustomEditor(Long.class, new Plain(Long::valueOf, true));
    }

    @Bean
    JsonMapperBuilderCustomizer refuseDuplicateKeys() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** Parses plain decimal text; an empty value is null where the type allows it. */
    private static final class Plain extends PropertyEditorSupport {
        private final Function<String, Number> parse;
        private final boolean nullable;

        Plain(Function<String, Number> parse, boolean nullable) {
            this.parse = parse;
            this.nullable = nullable;
        }

        @Override
        public void setAsText(String text) {
            if (text == null || text.isEmpty()) {
                if (!nullable) {
                    throw new IllegalArgumentException("empty");
                }
                setValue(null);
                return;
            }
            if (!PLAIN.matcher(text).matches()) {
                throw new IllegalArgumentException("not a plain decimal number");
            }
            setValue(parse.apply(text)); // NumberFormatException (an IllegalArgumentException) past the type's range
        }
    }
}
