package io.github.dl4jserving.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

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

    private static final String MATCHED = RoutePolicy.class.getName() + ".route";
    private static final Route NONE = new Route("none", Access.READ, false, false, false);

    private final ObjectProvider<RequestMappingHandlerMapping> handlerMapping;
    private volatile RouteTable table;

    RoutePolicy(
            @Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> handlerMapping) {
        this.handlerMapping = handlerMapping;
    }

    /** A policy over these handler methods; throws if one of the service's handlers is unclassified. */
    public static RoutePolicy of(Map<RequestMappingInfo, HandlerMethod> handlerMethods) {
        RoutePolicy policy = new RoutePolicy(null);
        policy.table = RouteTable.of(handlerMethods);
        return policy;
    }

    @Override
    public void afterSingletonsInstantiated() {
        RequestMappingHandlerMapping mapping = handlerMapping.getIfAvailable();
        table = RouteTable.of(mapping == null ? Map.of() : mapping.getHandlerMethods());
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

    /** Every route, as "METHOD /pattern -> ACCESS [flags]" lines, sorted: what RoutePolicyTest reads. */
    public List<String> describe() {
        return table().describe();
    }

    private Route lookUp(HttpServletRequest request) {
        return table().lookUp(request);
    }

    private RouteTable table() {
        RouteTable t = table;
        if (t == null) {
            throw new IllegalStateException("The route policy is read before the handler mappings were built");
        }
        return t;
    }

    private static boolean safe(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }
}
