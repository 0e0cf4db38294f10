package com.example.shop.auth.api;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.Deployment;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.handlers.ClassRoutingHandler;
import org.jboss.resteasy.reactive.server.handlers.RestInitialHandler.InitialMatch;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;

/**
 * The methods the requested path accepts, for the {@code Allow} header RFC 9110 §15.5.6 requires on a 405. Quarkus
 * REST sends its 405 without one, and answers a wrong method with 404 instead when the path is a resource class's
 * that it tries before another class (a PUT on {@code /me/sessions/{sessionId}}, tried before {@code /me/sessions}).
 * <p>
 * The methods are read from the router Quarkus REST built from the {@code @Path} and {@code @GET}… annotations (its
 * per-class, per-method {@link RequestMapper}s), matching the path the way it does, so the header can neither drift
 * from the routes nor need a table kept by hand. Nothing is read by reflection: the native image has the same router
 * objects. {@code HEAD} is added where {@code GET} is (Quarkus REST answers HEAD from the GET method) and
 * {@code OPTIONS} always (Quarkus REST answers it for every resource).
 * <p>
 * These router classes are Quarkus REST's runtime, not a public API: an upgrade that changes them fails the build or
 * AllowHeaderTest, which checks every route's 405.
 */
final class AllowedMethods {

    private static final List<String> USUAL_ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
            "OPTIONS");
    private static final Comparator<String> ORDER = Comparator
            .comparingInt((String method) -> USUAL_ORDER.contains(method) ? USUAL_ORDER.indexOf(method)
                    : USUAL_ORDER.size())
            .thenComparing(Comparator.naturalOrder());

    /**
     * The resource classes' router of the deployment it was built for (dev mode's live reload makes a new one). A
     * class, not a record: records in this package are the API's JSON bodies, registered for the native image.
     */
    private static final class Classes {
        final Deployment deployment;
        final RequestMapper<InitialMatch> mapper;

        Classes(Deployment deployment, RequestMapper<InitialMatch> mapper) {
            this.deployment = deployment;
            this.mapper = mapper;
        }
    }

    private static volatile Classes classes;

    private AllowedMethods() {
    }

    /**
     * The {@code Allow} header, e.g. {@code "GET, HEAD, OPTIONS"}, when a route has the current request's path but
     * not its method; empty outside a request, where no route has the path, or where the method is allowed.
     */
    static Optional<String> ifMethodNotAllowed() {
        ResteasyReactiveRequestContext request = CurrentRequestManager.get();
        if (request == null) {
            return Optional.empty();
        }
        Set<String> methods = of(request.getDeployment(), request.getPathWithoutPrefix());
        if (methods.isEmpty() || methods.contains(request.getMethod())) {
            return Optional.empty();
        }
        return Optional.of(String.join(", ", methods));
    }

    /** The methods the routes accept at this path (relative to the REST root), HEAD and OPTIONS included. */
    static Set<String> of(Deployment deployment, String path) {
        RequestMapper<InitialMatch> router = router(deployment);
        Set<String> methods = new TreeSet<>(ORDER);
        // like RestInitialHandler: the best matching class first, the next ones only if it has no such path
        for (var match = router.map(path); match != null && methods.isEmpty(); match = router.continueMatching(path,
                match)) {
            String remaining = match.remaining.isEmpty() ? "/" : match.remaining;
            for (ServerRestHandler handler : match.value.handlers) {
                if (handler instanceof ClassRoutingHandler routing) {
                    routing.getMappers().forEach((method, mapper) -> {
                        // a null method is a sub-resource locator (there is none)
                        if (method != null && mapper.map(remaining) != null) {
                            methods.add(method);
                        }
                    });
                }
            }
        }
        if (methods.isEmpty()) {
            return methods;
        }
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        methods.add("OPTIONS");
        return methods;
    }

    private static RequestMapper<InitialMatch> router(Deployment deployment) {
        Classes current = classes;
        if (current == null || current.deployment != deployment) {
            current = new Classes(deployment, new RequestMapper<>(deployment.getClassMappers()));
            classes = current;
        }
        return current.mapper;
    }
}
