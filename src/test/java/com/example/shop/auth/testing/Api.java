package com.example.shop.auth.testing;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import static io.restassured.RestAssured.given;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The API as a client sees it, through the Lambda HTTP path (rest-assured → mock event server → handler). */
public final class Api {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Api() {
    }

    public static String uniqueEmail(String tag) {
        return tag + "-" + UUID.randomUUID().toString().substring(0, 8) + "@shop-test.example.com";
    }

    /** A fresh strong password, remembered so the log test can prove it never reached a log. */
    public static String newPassword() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return TestSecrets.remember("pw-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    public static Response signup(String email, String password, String name) {
        return post("/signup", body("email", email, "password", password, "name", name));
    }

    public static Response login(String email, String password) {
        return post("/login", body("email", email, "password", password));
    }

    public static Response requestReset(String email) {
        return post("/password-reset", body("email", email));
    }

    public static Response confirmReset(String token, String newPassword) {
        return post("/password-reset/confirm", body("token", token, "newPassword", newPassword));
    }

    public static Response refresh(String refreshToken) {
        return post("/token/refresh", body("refreshToken", refreshToken));
    }

    public static Response logout(String refreshToken) {
        return post("/logout", body("refreshToken", refreshToken));
    }

    /** Logs in and returns the session's tokens (remembered for the log test). */
    public static Tokens signIn(Map<String, String> user) {
        return Tokens.of(login(user.get("email"), user.get("password")).then().statusCode(200).extract().response());
    }

    public record Tokens(String accessToken, String refreshToken) {
        public static Tokens of(Response response) {
            return new Tokens(TestSecrets.remember(response.path("accessToken")),
                    TestSecrets.remember(response.path("refreshToken")));
        }
    }

    public static Response getSignedIn(String path, String accessToken) {
        return given().header("Authorization", "Bearer " + accessToken).when().get(path).andReturn();
    }

    public static Response deleteSignedIn(String path, String accessToken) {
        return given().header("Authorization", "Bearer " + accessToken).when().delete(path).andReturn();
    }

    public static Response signedIn(String method, String path, String accessToken, Object jsonBody) {
        return given().header("Authorization", "Bearer " + accessToken).contentType(ContentType.JSON).body(jsonBody)
                .when().request(method, path).andReturn();
    }

    public static Response changePassword(String accessToken, String current, String next) {
        return signedIn("POST", "/me/password", accessToken, body("currentPassword", current, "newPassword", next));
    }

    public static Response deleteAccount(String accessToken, String password) {
        return signedIn("DELETE", "/me", accessToken, body("password", password));
    }

    public static Response changeEmail(String accessToken, String newEmail, String password) {
        return signedIn("POST", "/me/email", accessToken, body("newEmail", newEmail, "password", password));
    }

    public static Response confirmEmailChange(String token) {
        return post("/email-change/confirm", body("token", token));
    }

    public static Response requestVerification(String email) {
        return post("/email-verification", body("email", email));
    }

    public static Response confirmVerification(String token) {
        return post("/email-verification/confirm", body("token", token));
    }

    public static Response post(String path, Object jsonBody) {
        return given().contentType(ContentType.JSON).body(jsonBody).when().post(path).andReturn();
    }

    public static Response postRaw(String path, String contentType, String rawBody) {
        var request = given();
        if (contentType != null) {
            request = request.contentType(contentType);
        }
        return request.body(rawBody).when().post(path).andReturn();
    }

    /** A user that exists, with its password; for tests that need an account to work on. */
    public static Map<String, String> existingUser(String tag) {
        String email = uniqueEmail(tag);
        String password = newPassword();
        signup(email, password, "Test " + tag).then().statusCode(201);
        return Map.of("email", email, "password", password);
    }

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    public static void expectUnauthorized(Response response) {
        response.then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("status", equalTo(401));
    }

    /** The claims of one of our access tokens, signature unchecked (other tests check it). */
    public static JwtClaims claims(String accessToken) throws Exception {
        JwtConsumer reader = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                .setSkipSignatureVerification().build();
        return reader.processToClaims(accessToken);
    }

    public static void expectRefused(Response response) {
        response.then().statusCode(401)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid refresh token"));
    }
}
