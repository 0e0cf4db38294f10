package com.example.shop.auth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.LambdaEvents;
import com.example.shop.auth.testing.LambdaEvents.Answer;
import com.example.shop.auth.testing.MotoServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * What a cross-site page could send without a CORS preflight is refused, a body is text or nothing, and every
 * response says how it may be handled. Each of these was once accepted.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class StrictRequestsTest {

    /** No type, or a wildcard: Quarkus REST used to take them as JSON (a simple request for browsers). */
    @ParameterizedTest
    @ValueSource(strings = { "", "*/*", "application/*", "application/json; charset=iso-8859-1",
            "application/json; boundary=x", "text/plain" })
    void aBodyMustSayItIsJson(String contentType) {
        Map<String, String> headers = contentType.isEmpty() ? Map.of() : Map.of("content-type", contentType);
        String body = LambdaEvents.json(Map.of("email", Api.uniqueEmail("cross-site")));
        Answer answer = LambdaEvents.send("POST", "/password-reset", "", headers, body, null);
        assertEquals(415, answer.status(), contentType + ": " + answer.body());
        assertEquals("application/problem+json", answer.header("content-type").replaceAll(";.*", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = { "application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8" })
    void jsonWithOrWithoutAUtf8CharsetIsTaken(String contentType) {
        String body = LambdaEvents.json(Map.of("email", Api.uniqueEmail("json-ok")));
        assertEquals(202, LambdaEvents.send("POST", "/password-reset", "", Map.of("content-type", contentType), body,
                null).status());
    }

    /** Two different byte strings used to become one password: each malformed byte turned into U+FFFD. */
    @Test
    void aBodyThatIsNotUtf8IsRefused() {
        byte[] prefix = "{\"email\":\"a@example.com\",\"password\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
        for (byte b : new byte[] { (byte) 0xff, (byte) 0xfe }) {
            byte[] body = new byte[prefix.length + 16 + suffix.length];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            for (int i = 0; i < 16; i++) {
                body[prefix.length + i] = b;
            }
            System.arraycopy(suffix, 0, body, prefix.length + 16, suffix.length);
            Response login = RestAssured.given().contentType("application/json").body(body).post("/login");
            assertEquals(400, login.statusCode(), login.asString());
            assertTrue(login.asString().contains("UTF-8"), login.asString());
        }
    }

    @Test
    void everyResponseSaysNosniffAndIsNotStored() {
        String email = Api.uniqueEmail("headers");
        Response signup = Api.signup(email, Api.newPassword(), "Headers");
        assertEquals(201, signup.statusCode());
        assertEquals("nosniff", signup.header("X-Content-Type-Options"));
        assertEquals("no-store", signup.header("Cache-Control"));
        Response reset = Api.requestReset(email);
        assertEquals(202, reset.statusCode());
        assertEquals("nosniff", reset.header("X-Content-Type-Options"));
        assertEquals("no-store", reset.header("Cache-Control"));
        Response problem = Api.login(email, Api.newPassword());
        assertEquals("nosniff", problem.header("X-Content-Type-Options"));
        Response jwks = RestAssured.get("/.well-known/jwks.json");
        assertEquals("nosniff", jwks.header("X-Content-Type-Options"));
        // (the Lambda HTTP layer splits a header at its commas)
        assertTrue(jwks.headers().getValues("Cache-Control").contains("public"), "the key set stays cacheable: "
                + jwks.headers());
    }
}
