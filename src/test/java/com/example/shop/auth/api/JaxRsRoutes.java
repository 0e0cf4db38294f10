package com.example.shop.auth.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import jakarta.ws.rs.HttpMethod;

/**
 * The routes the JAX-RS annotations declare: every {@code @GET}, {@code @POST}… method of every {@code @Path} class
 * compiled from src/main/java, read by reflection from the compiled classes.
 */
final class JaxRsRoutes {

    private static final String ROOT_PACKAGE = "com.example.shop.auth";

    /** One route; the path is normalised: one slash between segments, none at the end, every parameter {@code {}}. */
    record Route(String method, String path) implements Comparable<Route> {

        static Route of(String method, String path) {
            return new Route(method.toUpperCase(java.util.Locale.ROOT), normalise(path));
        }

        @Override
        public int compareTo(Route other) {
            int byPath = path.compareTo(other.path);
            return byPath != 0 ? byPath : method.compareTo(other.method);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private JaxRsRoutes() {
    }

    /** Every route, with the resource class that declares it. */
    static Map<Route, Class<?>> all() {
        Map<Route, Class<?>> routes = new TreeMap<>();
        for (Class<?> resource : resourceClasses()) {
            String classPath = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            for (Method method : resource.getMethods()) {
                String httpMethod = httpMethod(method);
                jakarta.ws.rs.Path subPath = method.getAnnotation(jakarta.ws.rs.Path.class);
                if (httpMethod == null) {
                    if (subPath != null) {
                        throw new AssertionError(resource.getName() + "." + method.getName()
                                + " is a sub-resource locator: the route checks do not follow those");
                    }
                    continue;
                }
                Route route = Route.of(httpMethod, classPath + "/" + (subPath == null ? "" : subPath.value()));
                Class<?> previous = routes.put(route, resource);
                if (previous != null) {
                    throw new AssertionError(route + " is declared twice: " + previous.getName() + ", "
                            + resource.getName());
                }
            }
        }
        return routes;
    }

    /** {@code /a//b/{id}/} and {@code a/b/{other: [0-9]+}} both become {@code /a/b/{}}. */
    static String normalise(String path) {
        return "/" + path.replaceAll("\\{[^}/]*}", "{}").replaceAll("/+", "/").replaceAll("^/|/$", "");
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod designator = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (designator != null) {
                return designator.value();
            }
        }
        return null;
    }

    /** The {@code @Path} classes among the compiled main classes (target/classes). */
    private static List<Class<?>> resourceClasses() {
        Path classes;
        try {
            classes = Path.of(SignupResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path packageDir = classes.resolve(ROOT_PACKAGE.replace('.', '/'));
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(packageDir)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(file).toString().replace(java.io.File.separatorChar, '.');
                Class<?> type = Class.forName(name.substring(0, name.length() - ".class".length()), false,
                        JaxRsRoutes.class.getClassLoader());
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    found.add(type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        if (found.isEmpty()) {
            throw new AssertionError("no @Path class under " + packageDir);
        }
        return found;
    }
}
