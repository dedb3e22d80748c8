package io.github.dl4jserving.platform;

import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.GenericBeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.mock.web.MockServletContext;
import org.springframework.stereotype.Controller;
import org.springframework.web.context.support.StaticWebApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The service's own controllers' mappings, read by a real {@link RequestMappingHandlerMapping}
 * without starting the service: the controllers are bean definitions that are never instantiated,
 * so a filter's unit test sees the routes the running service has.
 */
final class ServiceRoutes {
    private static Map<RequestMappingInfo, HandlerMethod> handlerMethods;

    private ServiceRoutes() {}

    /** The policy the service builds at start-up. */
    static RoutePolicy policy() {
        return RoutePolicy.of(handlerMethods());
    }

    static synchronized Map<RequestMappingInfo, HandlerMethod> handlerMethods() {
        if (handlerMethods == null) {
            handlerMethods = read("io.github.dl4jserving.web");
        }
        return handlerMethods;
    }

    /** The handler methods of the controllers in {@code basePackage}. */
    static Map<RequestMappingInfo, HandlerMethod> read(String basePackage) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Controller.class));
        return read(scanner.findCandidateComponents(basePackage).stream()
                .map(BeanDefinition::getBeanClassName)
                .toList());
    }

    /** The handler methods of these controller classes. */
    static Map<RequestMappingInfo, HandlerMethod> read(List<String> controllerClasses) {
        StaticWebApplicationContext context = new StaticWebApplicationContext();
        context.setServletContext(new MockServletContext());
        for (String className : controllerClasses) {
            GenericBeanDefinition controller = new GenericBeanDefinition();
            controller.setBeanClassName(className);
            controller.setLazyInit(true);
            context.registerBeanDefinition(className, controller);
        }
        context.registerSingleton("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        context.refresh();
        return context.getBean(RequestMappingHandlerMapping.class).getHandlerMethods();
    }
}
