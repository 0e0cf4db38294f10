package com.example.shop.auth.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.api.JaxRsRoutes.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The routes are declared three times: by the JAX-RS annotations (what the application serves), by template.yaml's
 * HttpApi events (what API Gateway forwards to a function) and by openapi.yaml (the contract). They must agree.
 * <p>
 * The rule for pages: the template routes every JAX-RS route, API and pages alike (the pages the emails link to and
 * their script and style sheet, package {@code pages}); the contract holds exactly the API's routes, the resources
 * of this package ({@code api}), and no page: those are HTML for browsers, not part of the JSON API.
 * <p>
 * Paths are compared with their parameters' names erased ({@code /me/sessions/{sessionId}} is {@code /me/sessions/{}}).
 */
class RouteDeclarationsTest {

    private static final Path TEMPLATE = Path.of("template.yaml");
    private static final Path OPENAPI = Path.of("src/main/openapi/openapi.yaml");
    private static final Set<String> OPENAPI_OPERATIONS = Set.of("get", "put", "post", "delete", "options", "head",
            "patch", "trace");
    /** The YAML reader keeps the value under a CloudFormation short tag (!Ref, !Sub…) and drops the tag. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theTemplateRoutesExactlyTheJaxRsRoutes() throws IOException {
        Map<Route, String> resources = describe(JaxRsRoutes.all());
        assertSame("the JAX-RS resources", resources, TEMPLATE + " (HttpApi events)", templateRoutes());
    }

    @Test
    void theContractHoldsExactlyTheApiRoutes() throws IOException {
        Map<Route, String> api = new TreeMap<>();
        JaxRsRoutes.all().forEach((route, resource) -> {
            if (resource.getPackage().equals(RouteDeclarationsTest.class.getPackage())) {
                api.put(route, resource.getSimpleName());
            }
        });
        assertSame("the JAX-RS resources of package api", api, OPENAPI + " (paths)", openApiRoutes());
    }

    @Test
    void thePagesAreRoutedButOutsideTheContract() throws IOException {
        Map<Route, String> pages = new TreeMap<>();
        JaxRsRoutes.all().forEach((route, resource) -> {
            if (!resource.getPackage().equals(RouteDeclarationsTest.class.getPackage())) {
                pages.put(route, resource.getSimpleName());
            }
        });
        assertFalse(pages.isEmpty(), "the pages package declares routes");
        Map<Route, String> contract = openApiRoutes();
        Map<Route, String> template = templateRoutes();
        for (Route page : pages.keySet()) {
            assertFalse(contract.containsKey(page), page + " is a page: keep it out of " + OPENAPI);
            assertTrue(template.containsKey(page), page + " is a page: API Gateway must route it");
        }
    }

    /** (method, path) of every HttpApi event of every function, with the function and event that declare it. */
    static Map<Route, String> templateRoutes() throws IOException {
        JsonNode resources = YAML.readTree(TEMPLATE.toFile()).path("Resources");
        Map<Route, String> routes = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> resource = it.next();
            if (!resource.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                continue;
            }
            JsonNode events = resource.getValue().path("Properties").path("Events");
            for (Iterator<Map.Entry<String, JsonNode>> ev = events.fields(); ev.hasNext();) {
                Map.Entry<String, JsonNode> event = ev.next();
                if (!event.getValue().path("Type").asText().equals("HttpApi")) {
                    continue;
                }
                JsonNode properties = event.getValue().path("Properties");
                String origin = resource.getKey() + " event " + event.getKey();
                if (!properties.path("Method").isTextual() || !properties.path("Path").isTextual()) {
                    fail(origin + " needs a literal Method and Path");
                }
                Route route = Route.of(properties.path("Method").asText(), properties.path("Path").asText());
                String previous = routes.put(route, origin);
                if (previous != null) {
                    fail(route + " is routed twice in " + TEMPLATE + ": " + previous + ", " + origin);
                }
            }
        }
        return routes;
    }

    /** (method, path) of every operation under openapi.yaml's paths, with its operationId. */
    static Map<Route, String> openApiRoutes() throws IOException {
        JsonNode paths = YAML.readTree(OPENAPI.toFile()).path("paths");
        Map<Route, String> routes = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> operation = ops.next();
                if (OPENAPI_OPERATIONS.contains(operation.getKey())) {
                    String origin = "operationId " + operation.getValue().path("operationId").asText("(none)");
                    String previous = routes.put(Route.of(operation.getKey(), path.getKey()), origin);
                    if (previous != null) {
                        fail(path.getKey() + " and another path differ only in parameter names: " + previous
                                + ", " + origin);
                    }
                }
            }
        }
        return routes;
    }

    private static Map<Route, String> describe(Map<Route, Class<?>> routes) {
        Map<Route, String> described = new TreeMap<>();
        routes.forEach((route, resource) -> described.put(route, resource.getSimpleName()));
        return described;
    }

    /** Fails with every route that only one side declares, and where it is declared. */
    private static void assertSame(String expectedName, Map<Route, String> expected, String actualName,
            Map<Route, String> actual) {
        StringBuilder differences = new StringBuilder();
        expected.forEach((route, origin) -> {
            if (!actual.containsKey(route)) {
                differences.append("\n  only in ").append(expectedName).append(": ").append(route)
                        .append("  (").append(origin).append(')');
            }
        });
        actual.forEach((route, origin) -> {
            if (!expected.containsKey(route)) {
                differences.append("\n  only in ").append(actualName).append(": ").append(route)
                        .append("  (").append(origin).append(')');
            }
        });
        if (!differences.isEmpty()) {
            fail(actualName + " and " + expectedName + " declare different routes:" + differences);
        }
    }
}
