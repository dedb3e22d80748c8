package io.github.dl4jserving.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.condition.ConsumesRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * What each route of the service is, read from Spring MVC's own handler mappings at start-up: the
 * servlet filters (API key, in-flight limit, body size, event streams, trainer forwarding) ask it
 * instead of matching paths themselves, so they agree with the controllers by construction.
 *
 * <p>Every handler method of the service's controllers must carry exactly one access marker,
 * {@link InferenceEndpoint}, {@link ChangesState}, {@link ReadEndpoint} or {@link ProbeEndpoint}, on
 * itself or its class; {@link TrainerOwned} and {@link LargeBody} add to it, and a mapping that
 * produces {@code text/event-stream} is an event stream. A mapping without a marker stops the
 * service at start-up with its name: a new endpoint cannot silently miss the key check or the
 * limits. Handlers of libraries that only answer GET (springdoc's) and Spring Boot's error
 * controller are reads.
 *
 * <p>A request that matches no mapping (a static page, an actuator endpoint, a 404) has no route:
 * the filters then treat a GET, HEAD or OPTIONS as a read and any other method as a change.
 */
@Component
public class RoutePolicy implements SmartInitializingSingleton {
    /** Who may call a route, and which limits it takes. */
    public enum Access {
        INFERENCE,
        READ,
        CHANGES_STATE,
        PROBE
    }

    /**
     * One route: {@code mapping} names its handler (for messages), and the flags are the markers its
     * handler carries.
     */
    public record Route(String mapping, Access access, boolean trainerOwned, boolean eventStream, boolean largeBody) {}

    /**
     * The files of the web page and Swagger UI and the API description, and the actuator's probes:
     * not controller mappings, and open without a key even under protect-reads. The pages hold no
     * data, and a browser cannot send a key with the page it is asked to open (the page then sends
     * it with each of its requests); Docker and Kubernetes send no key with a probe.
     */
    private static final Pattern OPEN_PAGES = Pattern.compile("/|/index\\.html|/app\\.(js|css)|/favicon\\.ico"
            + "|/swagger-ui\\.html|/swagger-ui/[^/]+|/v3/api-docs(/swagger-config|\\.yaml)?"
            + "|/actuator/health/(liveness|readiness)");

    private static final String SERVICE_PACKAGE = "io.github.dl4jserving.";
    private static final String MATCHED = RoutePolicy.class.getName() + ".route";
    private static final Route NONE = new Route("none", Access.READ, false, false, false);
    private static final Map<Access, Class<? extends Annotation>> ACCESS_MARKERS = Map.of(
            Access.INFERENCE, InferenceEndpoint.class,
            Access.CHANGES_STATE, ChangesState.class,
            Access.READ, ReadEndpoint.class,
            Access.PROBE, ProbeEndpoint.class);

    private final ObjectProvider<RequestMappingHandlerMapping> handlerMapping;
    private volatile Map<String, List<Entry>> byFirstSegment;

    RoutePolicy(
            @Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> handlerMapping) {
        this.handlerMapping = handlerMapping;
    }

    /** A policy over these handler methods; throws if one of the service's handlers is unclassified. */
    public static RoutePolicy of(Map<RequestMappingInfo, HandlerMethod> handlerMethods) {
        RoutePolicy policy = new RoutePolicy(null);
        policy.byFirstSegment = index(handlerMethods);
        return policy;
    }

    @Override
    public void afterSingletonsInstantiated() {
        RequestMappingHandlerMapping mapping = handlerMapping.getIfAvailable();
        byFirstSegment = mapping == null ? Map.of() : index(mapping.getHandlerMethods());
    }

    /** The route {@code request} goes to, or null if it matches no controller mapping. */
    public Route route(HttpServletRequest request) {
        Object cached = request.getAttribute(MATCHED);
        if (cached instanceof Route r) {
            return r == NONE ? null : r;
        }
        Route found = lookUp(request);
        request.setAttribute(MATCHED, found == null ? NONE : found);
        return found;
    }

    /** Whether the request computes an answer and takes an inference slot. */
    public boolean isInference(HttpServletRequest request) {
        Route r = route(request);
        return r != null && r.access() == Access.INFERENCE;
    }

    /**
     * Whether the request would change state: a route marked so, or, without a route, any method but
     * GET, HEAD and OPTIONS (a 404 or 405 then costs the caller its key check, never the reverse).
     */
    public boolean changesState(HttpServletRequest request) {
        Route r = route(request);
        return r == null ? !safe(request.getMethod()) : r.access() == Access.CHANGES_STATE;
    }

    /** Whether the request stays open under protect-reads: a probe, a page, the API description. */
    public boolean openUnderProtectReads(HttpServletRequest request) {
        Route r = route(request);
        return (r != null && r.access() == Access.PROBE)
                || OPEN_PAGES.matcher(request.getRequestURI()).matches();
    }

    /** Whether the request belongs to the trainer replica. */
    public boolean trainerOwned(HttpServletRequest request) {
        Route r = route(request);
        return r != null && r.trainerOwned();
    }

    /** Whether the request opens a job's event stream. */
    public boolean eventStream(HttpServletRequest request) {
        Route r = route(request);
        return r != null && r.eventStream() && "GET".equals(request.getMethod());
    }

    /** Whether the request's raw body may be as large as a data set. */
    public boolean largeBody(HttpServletRequest request) {
        Route r = route(request);
        return r != null && r.largeBody();
    }

    /** Every route, as "METHOD /pattern -> ACCESS [flags]" lines, for the tests and the log. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        byFirstSegment
                .values()
                .forEach(entries -> entries.forEach(e -> e.variants.forEach(v -> lines.add((e.methods.isEmpty()
                                ? "ANY"
                                : String.join(
                                        ",",
                                        new TreeSet<>(e.methods.stream()
                                                .map(Enum::name)
                                                .toList())))
                        + " " + e.pattern.getPatternString() + " -> " + v.route.access()
                        + (v.route.trainerOwned() ? " trainer" : "")
                        + (v.route.eventStream() ? " events" : "")
                        + (v.route.largeBody() ? " large-body" : "")))));
        lines.sort(null);
        return lines;
    }

    private Route lookUp(HttpServletRequest request) {
        Map<String, List<Entry>> index = byFirstSegment;
        if (index == null) {
            throw new IllegalStateException("The route policy is read before the handler mappings were built");
        }
        PathContainer path;
        try {
            path = RequestPath.parse(request.getRequestURI(), request.getContextPath())
                    .pathWithinApplication();
        } catch (IllegalArgumentException e) {
            return null; // a path Spring MVC cannot parse either: it will not reach a handler
        }
        List<Entry> candidates = index.get(firstSegment(path));
        if (candidates == null) {
            return null;
        }
        String method = request.getMethod();
        for (Entry e : candidates) {
            if (e.accepts(method) && e.pattern.matches(path)) {
                return e.variant(request);
            }
        }
        return null;
    }

    private static boolean safe(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }

    private static String firstSegment(PathContainer path) {
        for (PathContainer.Element element : path.elements()) {
            if (element instanceof PathContainer.PathSegment segment) {
                return segment.valueToMatch();
            }
        }
        return "";
    }

    /**
     * The routes grouped by their pattern's first literal segment; a pattern that starts with a
     * variable would be filed under "", which none of the service's mappings does.
     */
    private static Map<String, List<Entry>> index(Map<RequestMappingInfo, HandlerMethod> handlerMethods) {
        List<String> unclassified = new ArrayList<>();
        Map<String, Entry> entries = new HashMap<>();
        handlerMethods.forEach((info, handler) -> {
            Route route = route(info, handler, unclassified);
            if (route == null || info.getPathPatternsCondition() == null) {
                return;
            }
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (PathPattern pattern : info.getPathPatternsCondition().getPatterns()) {
                entries.computeIfAbsent(
                                new TreeSet<>(methods) + " " + pattern.getPatternString(),
                                k -> new Entry(methods.isEmpty() ? Set.of() : EnumSet.copyOf(methods), pattern))
                        .variants
                        .add(new Variant(info.getConsumesCondition(), route));
            }
        });
        if (!unclassified.isEmpty()) {
            unclassified.sort(null);
            throw new IllegalStateException("These handler methods carry no access marker (@InferenceEndpoint, "
                    + "@ChangesState, @ReadEndpoint or @ProbeEndpoint, from io.github.dl4jserving.platform), so "
                    + "the API key and the limits would not know them: " + String.join("; ", unclassified));
        }
        entries.values().forEach(e -> e.uniform = e.sameRouteInEveryVariant());
        Map<String, List<Entry>> index = new HashMap<>();
        entries.values().stream()
                // The more specific pattern first, as Spring MVC picks it: /jobs/compare before /jobs/{id}.
                .sorted((a, b) -> PathPattern.SPECIFICITY_COMPARATOR.compare(a.pattern, b.pattern))
                .forEach(e -> index.computeIfAbsent(e.firstLiteral(), k -> new ArrayList<>())
                        .add(e));
        return Map.copyOf(index);
    }

    private static Route route(RequestMappingInfo info, HandlerMethod handler, List<String> unclassified) {
        String name = handler.getBeanType().getSimpleName() + "."
                + handler.getMethod().getName() + " (" + info.getMethodsCondition() + " " + info.getPatternValues()
                + ")";
        // A marker on the method overrides the class's.
        List<Access> marked = markers(handler.getMethod());
        if (marked.isEmpty()) {
            marked = markers(handler.getBeanType());
        }
        boolean ours = handler.getBeanType().getName().startsWith(SERVICE_PACKAGE);
        if (marked.size() > 1) {
            unclassified.add(name + " has " + marked.size() + " markers");
            return null;
        }
        if (marked.isEmpty()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            boolean readOnlyLibraryHandler = methods.equals(Set.of(RequestMethod.GET))
                    || ErrorController.class.isAssignableFrom(handler.getBeanType());
            if (ours || !readOnlyLibraryHandler) {
                unclassified.add(name);
                return null;
            }
            marked.add(Access.READ);
        }
        boolean eventStream = info.getProducesCondition().getProducibleMediaTypes().stream()
                .anyMatch(MediaType.TEXT_EVENT_STREAM::equalsTypeAndSubtype);
        return new Route(
                name, marked.get(0), has(handler, TrainerOwned.class), eventStream, has(handler, LargeBody.class));
    }

    private static List<Access> markers(java.lang.reflect.AnnotatedElement element) {
        List<Access> marked = new ArrayList<>();
        for (Access access : Access.values()) {
            if (AnnotatedElementUtils.hasAnnotation(element, ACCESS_MARKERS.get(access))) {
                marked.add(access);
            }
        }
        return marked;
    }

    private static boolean has(HandlerMethod handler, Class<? extends Annotation> marker) {
        return AnnotatedElementUtils.hasAnnotation(handler.getMethod(), marker)
                || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), marker);
    }

    /** The mappings of one method set and pattern, which may differ by the content type they consume. */
    private static final class Entry {
        final Set<RequestMethod> methods;
        final PathPattern pattern;
        final List<Variant> variants = new ArrayList<>();
        /** Set once the index is built. */
        boolean uniform;

        Entry(Set<RequestMethod> methods, PathPattern pattern) {
            this.methods = methods;
            this.pattern = pattern;
        }

        /** Whether every variant is the same route but for its name: then no content type need be parsed. */
        boolean sameRouteInEveryVariant() {
            Variant first = variants.get(0);
            return variants.stream()
                    .allMatch(v -> v.route.access() == first.route.access()
                            && v.route.trainerOwned() == first.route.trainerOwned()
                            && v.route.eventStream() == first.route.eventStream()
                            && v.route.largeBody() == first.route.largeBody());
        }

        boolean accepts(String method) {
            if (methods.isEmpty()) {
                return true;
            }
            RequestMethod m = RequestMethod.resolve(method);
            // HEAD goes where GET goes, as in Spring MVC.
            return m != null
                    && (methods.contains(m) || (m == RequestMethod.HEAD && methods.contains(RequestMethod.GET)));
        }

        /**
         * The route: the one variant, or the one whose consumed type matches the request's; when none
         * matches (Spring MVC will answer 415), the first that takes no large body.
         */
        Route variant(HttpServletRequest request) {
            if (variants.size() == 1 || uniform) {
                return variants.get(0).route;
            }
            for (Variant v : variants) {
                if (v.consumes.getMatchingCondition(request) != null) {
                    return v.route;
                }
            }
            return variants.stream()
                    .filter(v -> !v.route.largeBody())
                    .findFirst()
                    .orElse(variants.get(0))
                    .route;
        }

        String firstLiteral() {
            String p = pattern.getPatternString();
            int start = p.startsWith("/") ? 1 : 0;
            int end = p.indexOf('/', start);
            String first = end < 0 ? p.substring(start) : p.substring(start, end);
            return first.contains("{") || first.contains("*") ? "" : first;
        }
    }

    private record Variant(ConsumesRequestCondition consumes, Route route) {}
}
