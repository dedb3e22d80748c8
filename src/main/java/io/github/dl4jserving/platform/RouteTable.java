package io.github.dl4jserving.platform;

import io.github.dl4jserving.platform.RoutePolicy.Access;
import io.github.dl4jserving.platform.RoutePolicy.Route;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.condition.ConsumesRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The routes of {@link RoutePolicy}, read from Spring MVC's handler methods: each mapping's method
 * set and path patterns with the markers its handler carries, indexed by the patterns' first
 * literal segment and, within it, most specific first, as Spring MVC picks them.
 */
final class RouteTable {
    private static final String SERVICE_PACKAGE = "io.github.dl4jserving.";
    private static final Map<Access, Class<? extends Annotation>> ACCESS_MARKERS = Map.of(
            Access.INFERENCE, InferenceEndpoint.class,
            Access.CHANGES_STATE, ChangesState.class,
            Access.READ, ReadEndpoint.class,
            Access.PROBE, ProbeEndpoint.class);

    private final Map<String, List<Entry>> byFirstSegment;

    private RouteTable(Map<String, List<Entry>> byFirstSegment) {
        this.byFirstSegment = byFirstSegment;
    }

    /** Every route, as "METHOD /pattern -> ACCESS [flags]" lines, sorted. */
    List<String> describe() {
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

    Route lookUp(HttpServletRequest request) {
        Map<String, List<Entry>> index = byFirstSegment;
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
    static RouteTable of(Map<RequestMappingInfo, HandlerMethod> handlerMethods) {
        List<String> unclassified = new ArrayList<>();
        Map<String, Entry> entries = new HashMap<>();
        handlerMethods.forEach((info, handler) -> {
            Route route = route(info, handler, unclassified);
            if (route == null) {
                return;
            }
            if (info.getPathPatternsCondition() == null) {
                // Spring MVC matches with PathPatterns by default; with the AntPathMatcher every route
                // would go missing here and inference would lose its limits.
                throw new IllegalStateException(
                        "The route policy needs Spring MVC's PathPattern matching; " + route.mapping() + " has none");
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
        return new RouteTable(Map.copyOf(index));
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

    private static List<Access> markers(AnnotatedElement element) {
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
