package com.example.shop.auth.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.api.JaxRsRoutes.Route;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Every path answers a method it does not accept with a 405 whose {@code Allow} header lists exactly the methods its
 * JAX-RS annotations declare, plus HEAD where there is GET, plus OPTIONS, in the usual order.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class AllowHeaderTest {

    private static final List<String> ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    static Stream<Arguments> paths() {
        Map<String, Set<String>> methodsByPath = new TreeMap<>();
        for (Route route : JaxRsRoutes.all().keySet()) {
            methodsByPath.computeIfAbsent(route.path(), p -> new TreeSet<>()).add(route.method());
        }
        return methodsByPath.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("paths")
    void aMethodThePathDoesNotAcceptIs405WithTheMethodsItDoes(String path, Set<String> declared) {
        String wrongMethod = Stream.of("PUT", "PATCH", "POST", "DELETE", "GET")
                .filter(m -> !declared.contains(m)).findFirst().orElseThrow();
        String concretePath = path.replace("{}", "a-path-parameter");

        Response response = given().when().request(wrongMethod, concretePath);

        response.then().statusCode(405).contentType("application/problem+json");
        List<String> expected = ORDER.stream()
                .filter(m -> declared.contains(m) || m.equals("OPTIONS") || m.equals("HEAD") && declared.contains("GET"))
                .toList();
        assertEquals(expected, allowed(response), wrongMethod + " " + concretePath);
    }

    /**
     * OPTIONS lists the same methods. Quarkus REST answers it with the methods of the whole resource class, so this
     * holds only while each path has a class of its own.
     */
    @ParameterizedTest(name = "OPTIONS {0} {1}")
    @MethodSource("paths")
    void optionsListsTheMethodsOfThePathOnly(String path, Set<String> declared) {
        if (path.startsWith("/admin/")) {
            return; // one class serves the admin paths; API Gateway answers OPTIONS itself in AWS (docs/api.md)
        }
        Response response = given().when().options(path.replace("{}", "a-path-parameter"));

        // Quarkus REST lists HEAD on every path; what matters is that no method of another path appears
        Set<String> expected = new TreeSet<>(declared);
        expected.add("OPTIONS");
        Set<String> listed = new TreeSet<>(allowed(response));
        listed.remove("HEAD");
        assertEquals(expected, listed, "OPTIONS " + path);
    }

    /** The Lambda HTTP layer splits a comma-separated header into several values; either form means the same. */
    private static List<String> allowed(Response response) {
        return response.headers().getValues("Allow").stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim)
                .toList();
    }
}
