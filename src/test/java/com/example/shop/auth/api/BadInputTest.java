package com.example.shop.auth.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Every kind of bad request gets a 4xx problem, never a 5xx or a stack trace, and writes nothing. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class BadInputTest {

    private static final String JSON = "application/json";
    private static final String OK_PASSWORD = "correct horse battery staple";

    @Inject
    DynamoDbClient dynamo;

    static Stream<Arguments> badRequests() {
        String email = "bad-input@shop-test.example.com";
        String huge = "{\"email\":\"" + email + "\",\"password\":\"" + "p".repeat(20_000) + "\",\"name\":\"x\"}";
        return Stream.of(
                // body is not a JSON object
                bad("truncated JSON", "/signup", JSON, "{\"email\":", 400),
                bad("not JSON at all", "/signup", JSON, "hello", 400),
                bad("JSON array", "/signup", JSON, "[]", 400),
                bad("JSON string", "/signup", JSON, "\"signup\"", 400),
                bad("JSON null", "/signup", JSON, "null", 400),
                bad("empty body", "/signup", JSON, "", 400),
                bad("duplicate keys", "/signup", JSON, signup(email, OK_PASSWORD, "A") .replace("{", "{\"email\":\"x@y.z\","), 400),
                bad("trailing content", "/signup", JSON, signup(email, OK_PASSWORD, "A") + " {}", 400),
                bad("deep nesting", "/signup", JSON, "{\"email\":" + "[".repeat(2000) + "]".repeat(2000) + "}", 400),
                // wrong types
                bad("email is a number", "/signup", JSON, "{\"email\":42,\"password\":\"" + OK_PASSWORD + "\",\"name\":\"A\"}", 400),
                bad("password is a number", "/signup", JSON, "{\"email\":\"" + email + "\",\"password\":123456789012345678,\"name\":\"A\"}", 400),
                bad("name is a boolean", "/signup", JSON, "{\"email\":\"" + email + "\",\"password\":\"" + OK_PASSWORD + "\",\"name\":true}", 400),
                bad("password is an array", "/signup", JSON, "{\"email\":\"" + email + "\",\"password\":[\"" + OK_PASSWORD + "\"],\"name\":\"A\"}", 400),
                bad("name is an object", "/signup", JSON, "{\"email\":\"" + email + "\",\"password\":\"" + OK_PASSWORD + "\",\"name\":{}}", 400),
                // missing fields
                bad("no email", "/signup", JSON, "{\"password\":\"" + OK_PASSWORD + "\",\"name\":\"A\"}", 400),
                bad("no password", "/signup", JSON, "{\"email\":\"" + email + "\",\"name\":\"A\"}", 400),
                bad("no name", "/signup", JSON, "{\"email\":\"" + email + "\",\"password\":\"" + OK_PASSWORD + "\"}", 400),
                bad("empty object", "/signup", JSON, "{}", 400),
                // fields that break the rules
                bad("email without @", "/signup", JSON, signup("bad.example.com", OK_PASSWORD, "A"), 400),
                bad("email with two @", "/signup", JSON, signup("a@b@example.com", OK_PASSWORD, "A"), 400),
                bad("email without a dot in the domain", "/signup", JSON, signup("a@localhost", OK_PASSWORD, "A"), 400),
                bad("email with a space", "/signup", JSON, signup("a b@example.com", OK_PASSWORD, "A"), 400),
                bad("email with a control character", "/signup", JSON, signup("a\\u0007b@example.com", OK_PASSWORD, "A"), 400),
                bad("email over 254 characters", "/signup", JSON, signup("a".repeat(250) + "@example.com", OK_PASSWORD, "A"), 400),
                bad("blank name", "/signup", JSON, signup(email, OK_PASSWORD, "   "), 400),
                bad("name over 100 characters", "/signup", JSON, signup(email, OK_PASSWORD, "n".repeat(101)), 400),
                bad("name with a newline", "/signup", JSON, signup(email, OK_PASSWORD, "Ada\\nLovelace"), 400),
                bad("name with NUL", "/signup", JSON, signup(email, OK_PASSWORD, "Ada\\u0000"), 400),
                // size and content type
                bad("body over 16 KiB", "/signup", JSON, huge, 413),
                bad("text/plain", "/signup", "text/plain", signup(email, OK_PASSWORD, "A"), 415),
                bad("application/xml", "/signup", "application/xml", "<signup/>", 415),
                bad("form encoded", "/signup", "application/x-www-form-urlencoded", "email=a%40b.c", 415),
                // login
                bad("login: truncated JSON", "/login", JSON, "{\"email\":\"a@b.c\",", 400),
                bad("login: email is a number", "/login", JSON, "{\"email\":1,\"password\":\"x\"}", 400),
                bad("login: no password", "/login", JSON, "{\"email\":\"" + email + "\"}", 400),
                bad("login: empty password (schemathesis)", "/login", JSON, "{\"email\":\"ada@example.com\",\"password\":\"\"}", 400),
                bad("login: body over 16 KiB", "/login", JSON, huge, 413),
                bad("login: text/plain", "/login", "text/plain", "{}", 415),
                // password reset
                bad("reset: not an email", "/password-reset", JSON, "{\"email\":\"not-an-email\"}", 400),
                bad("reset: no email", "/password-reset", JSON, "{}", 400),
                bad("reset: email is an array", "/password-reset", JSON, "{\"email\":[]}", 400),
                bad("reset: text/plain", "/password-reset", "text/plain", "a@b.c", 415),
                bad("confirm: token is a number", "/password-reset/confirm", JSON, "{\"token\":7,\"newPassword\":\"" + OK_PASSWORD + "\"}", 400),
                bad("confirm: no token", "/password-reset/confirm", JSON, "{\"newPassword\":\"" + OK_PASSWORD + "\"}", 400),
                bad("confirm: token with odd characters", "/password-reset/confirm", JSON, "{\"token\":\"../../etc\",\"newPassword\":\"" + OK_PASSWORD + "\"}", 400),
                bad("confirm: unknown token", "/password-reset/confirm", JSON, "{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"newPassword\":\"" + OK_PASSWORD + "\"}", 400),
                // routes
                bad("unknown route", "/users", JSON, "{}", 404),
                bad("unknown nested route", "/signup/extra", JSON, "{}", 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithAProblemAndWritesNothing(String why, String path, String contentType, String body, int status) {
        int itemsBefore = Table.items(dynamo).size();

        Response response = Api.postRaw(path, contentType, body);

        response.then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("type", notNullValue())
                .body(not(containsString("Exception")))
                .body(not(containsString("at com.")))
                .body(not(containsString(OK_PASSWORD)));
        assertEquals(itemsBefore, Table.items(dynamo).size(), "no item written");
    }

    @org.junit.jupiter.api.Test
    void malformedJsonIsNamedAsSuch() {
        Api.postRaw("/signup", JSON, "{\"email\":").then().statusCode(400)
                .body("title", equalTo("Malformed request body"))
                .body("detail", equalTo("The request body is not valid JSON."));
        Api.postRaw("/signup", JSON, "{\"email\":42}").then().statusCode(400)
                .body("title", equalTo("Malformed request body"))
                .body("detail", equalTo("Field 'email' has the wrong type; expected a string."));
    }

    @org.junit.jupiter.api.Test
    void aWrongMethodIsAProblemToo() {
        Response wrongMethod = given().when().get("/signup");
        wrongMethod.then().statusCode(405)
                .contentType("application/problem+json")
                .body("status", equalTo(405));
        assertEquals(java.util.Set.of("POST", "OPTIONS"), allowed(wrongMethod));
        Response delete = given().when().delete("/.well-known/jwks.json");
        assertEquals(405, delete.statusCode());
        assertEquals(java.util.Set.of("GET", "HEAD", "OPTIONS"), allowed(delete));
        // found by schemathesis: OPTIONS listed the methods of every route of the class, not of the path
        Response options = given().when().options("/login");
        assertEquals(200, options.statusCode());
        assertEquals(java.util.Set.of("HEAD", "POST", "OPTIONS"), allowed(options));
    }

    /** The Lambda HTTP layer splits a comma-separated header into several values; either form means the same. */
    private static java.util.Set<String> allowed(Response response) {
        return response.headers().getValues("Allow").stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::trim)
                .collect(java.util.stream.Collectors.toSet());
    }

    private static String signup(String email, String password, String name) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"" + name + "\"}";
    }

    private static Arguments bad(String why, String path, String contentType, String body, int status) {
        return Arguments.of(why, path, contentType, body, status);
    }
}
