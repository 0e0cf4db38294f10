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

    /**
     * Each declared path with the methods of every route matching it: a literal segment may also match another
     * route's parameter ({@code /me/passkeys/registration-options} and {@code /me/passkeys/{}}), and API Gateway
     * hands the function that route's methods too.
     */
    static Stream<Arguments> paths() {
        Set<String> paths = new TreeSet<>();
        JaxRsRoutes.all().keySet().forEach(route -> paths.add(route.path()));
        Map<String, Set<String>> methodsByPath = new TreeMap<>();
        for (String path : paths) {
            String concrete = concrete(path);
            for (Route route : JaxRsRoutes.all().keySet()) {
                if (concrete.matches(route.path().replace("{}", "[^/]+"))) {
                    methodsByPath.computeIfAbsent(path, p -> new TreeSet<>()).add(route.method());
                }
            }
        }
        return methodsByPath.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    private static String concrete(String path) {
        return path.replace("{}", "a-path-parameter");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("paths")
    void aMethodThePathDoesNotAcceptIs405WithTheMethodsItDoes(String path, Set<String> declared) {
        String wrongMethod = Stream.of("PUT", "PATCH", "POST", "DELETE", "GET")
                .filter(m -> !declared.contains(m)).findFirst().orElseThrow();
        String concretePath = concrete(path);

        Response response = given().when().request(wrongMethod, concretePath);

        response.then().statusCode(405).contentType("application/problem+json");
        List<String> expected = ORDER.stream()
                .filter(m -> declared.contains(m) || m.equals("OPTIONS") || m.equals("HEAD") && declared.contains("GET"))
                .toList();
        assertEquals(expected, allowed(response), wrongMethod + " " + concretePath);
    }

    /** The Lambda HTTP layer splits a comma-separated header into several values; either form means the same. */
    private static List<String> allowed(Response response) {
        return response.headers().getValues("Allow").stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim)
                .toList();
    }
}
