package com.example.shop.auth.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.TestSecrets;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Feeds each file of events/ to the Lambda handler verbatim (the mock event server's {@code /_lambda_} endpoint)
 * and checks the API Gateway v2 response, so the samples stay usable with {@code sam local invoke -e}.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleEventsTest {

    @Test
    @Order(1)
    void signupCreatesTheSampleAccount() throws Exception {
        JsonPath response = invoke("signup.json");
        assertEquals(201, response.getInt("statusCode"));
        JsonPath body = new JsonPath(response.getString("body"));
        assertEquals("ada.sample@example.com", body.getString("email"));
    }

    @Test
    @Order(2)
    void loginReturnsABearerToken() throws Exception {
        JsonPath response = invoke("login.json");
        assertEquals(200, response.getInt("statusCode"));
        JsonPath body = new JsonPath(response.getString("body"));
        assertEquals("Bearer", body.getString("tokenType"));
        TestSecrets.remember(body.getString("accessToken"));
        TestSecrets.remember(body.getString("refreshToken"));
    }

    @Test
    @Order(3)
    void jwksPublishesTheSigningKey() throws Exception {
        JsonPath response = invoke("jwks.json");
        assertEquals(200, response.getInt("statusCode"));
        assertEquals("RS256", new JsonPath(response.getString("body")).getString("keys[0].alg"));
    }

    @Test
    @Order(3)
    void openIdConfigurationPointsAtTheJwks() throws Exception {
        JsonPath response = invoke("openid-configuration.json");
        assertEquals(200, response.getInt("statusCode"));
        JsonPath body = new JsonPath(response.getString("body"));
        assertEquals("https://auth.shop.example.com", body.getString("issuer"));
        assertEquals("https://auth.shop.example.com/.well-known/jwks.json", body.getString("jwks_uri"));
        assertEquals(java.util.Set.of("issuer", "jwks_uri"), body.getMap("").keySet(), "nothing else is advertised");
    }

    @Test
    @Order(4)
    void resetRequestIsAccepted() throws Exception {
        assertEquals(202, invoke("password-reset-request.json").getInt("statusCode"));
    }

    @Test
    @Order(5)
    void resetConfirmWithTheSampleTokenIsRefusedAsInvalid() throws Exception {
        JsonPath response = invoke("password-reset-confirm.json");
        assertEquals(400, response.getInt("statusCode"));
        assertEquals("Invalid reset token", new JsonPath(response.getString("body")).getString("title"));
    }

    @Test
    @Order(6)
    void aMalformedBodyIsAProblemNotAnError() throws Exception {
        JsonPath response = invoke("signup-malformed.json");
        assertEquals(400, response.getInt("statusCode"));
        assertEquals("application/problem+json", response.getString("headers.Content-Type"));
        assertEquals("Malformed request body", new JsonPath(response.getString("body")).getString("title"));
    }

    @Test
    @Order(7)
    void refreshWithTheSampleTokenIsRefused() throws Exception {
        JsonPath response = invoke("token-refresh.json");
        assertEquals(401, response.getInt("statusCode"));
        assertEquals("Invalid refresh token", new JsonPath(response.getString("body")).getString("title"));
    }

    @Test
    @Order(7)
    void theSecondStepWithTheSampleMfaTokenIsRefused() throws Exception {
        JsonPath response = invoke("login-mfa.json");
        assertEquals(401, response.getInt("statusCode"));
        assertEquals("Invalid second factor", new JsonPath(response.getString("body")).getString("title"));
    }

    @Test
    @Order(7)
    void logoutAnswers204WhateverTheToken() throws Exception {
        assertEquals(204, invoke("logout.json").getInt("statusCode"));
    }

    @Test
    @Order(7)
    void theSignedInRoutesRefuseThePlaceholderToken() throws Exception {
        for (String event : new String[] { "me-sessions.json", "me-session-delete.json", "me.json", "me-update.json",
                "me-password.json", "me-delete.json", "me-email.json", "me-mfa-totp.json", "me-passkeys.json",
                "me-passkey-registration-options.json", "me-passkey-register.json", "me-passkey-delete.json" }) {
            JsonPath response = invoke(event);
            assertEquals(401, response.getInt("statusCode"), event);
            assertEquals("Bearer error=\"invalid_token\"", response.getString("headers.WWW-Authenticate"), event);
        }
    }

    @Test
    @Order(7)
    void verificationResendIsAcceptedAndTheSampleTokenRefused() throws Exception {
        assertEquals(202, invoke("email-verification-request.json").getInt("statusCode"));
        JsonPath confirm = invoke("email-verification-confirm.json");
        assertEquals(400, confirm.getInt("statusCode"));
        assertEquals("Invalid verification link", new JsonPath(confirm.getString("body")).getString("title"));
    }

    @Test
    @Order(7)
    void emailChangeConfirmRefusesTheSampleToken() throws Exception {
        JsonPath confirm = invoke("email-change-confirm.json");
        assertEquals(400, confirm.getInt("statusCode"));
        assertEquals("Invalid email-change link", new JsonPath(confirm.getString("body")).getString("title"));
    }

    @Test
    @Order(7)
    void passkeySignInGivesOptionsAndRefusesTheSampleAssertion() throws Exception {
        JsonPath options = invoke("passkeys-authentication-options.json");
        assertEquals(200, options.getInt("statusCode"));
        assertEquals("shop.example.com", new JsonPath(options.getString("body")).getString("rpId"));
        JsonPath login = invoke("passkeys-login.json");
        assertEquals(401, login.getInt("statusCode"));
        assertEquals("urn:ecommerce-auth:problem:passkey-sign-in-failed",
                new JsonPath(login.getString("body")).getString("type"));
    }

    @Test
    @Order(8)
    void theSessionListEventWorksWithARealAccessToken() throws Exception {
        JsonPath login = new JsonPath(invoke("login.json").getString("body"));
        String token = TestSecrets.remember(login.getString("accessToken"));
        TestSecrets.remember(login.getString("refreshToken"));
        String event = Files.readString(Path.of("events", "me-sessions.json")).replace(PLACEHOLDER_TOKEN, token);
        JsonPath response = given().body(event).when().post("/_lambda_").then().extract().jsonPath();
        assertEquals(200, response.getInt("statusCode"));
        assertEquals(Boolean.TRUE, new JsonPath(response.getString("body")).get("sessions[0].current"));
    }

    /** The admin events carry an IAM caller; the sample user id is no account of this table. */
    @Test
    @Order(8)
    void adminEventsAnswerAsTheirCallerAllows() throws Exception {
        JsonPath found = invoke("admin-users-find.json");
        assertEquals(200, found.getInt("statusCode"), found.getString("body"));
        assertEquals("ada.sample@example.com", new JsonPath(found.getString("body")).getString("users[0].email"));
        assertEquals(200, invoke("admin-users-list.json").getInt("statusCode"));
        JsonPath refused = invoke("admin-users-find-without-iam.json");
        assertEquals(403, refused.getInt("statusCode"));
        assertEquals("urn:ecommerce-auth:problem:admin-caller-required",
                new JsonPath(refused.getString("body")).getString("type"));
        for (String event : List.of("admin-user-get.json", "admin-user-disable.json", "admin-user-enable.json",
                "admin-user-sign-out.json", "admin-user-unlock.json", "admin-user-password-reset.json",
                "admin-user-mfa-delete.json", "admin-user-passkey-delete.json", "admin-user-delete.json")) {
            assertEquals(404, invoke(event).getInt("statusCode"), event);
        }
    }

    @Test
    @Order(9)
    void everyEventFileIsCovered() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            assertEquals(39, files.filter(f -> f.toString().endsWith(".json")).count(),
                    "a new sample event needs a test here");
        }
    }

    /** The bearer token in the sample events of the signed-in routes: well-formed, never valid. */
    private static final String PLACEHOLDER_TOKEN = "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.c2FtcGxl.c2lnbmF0dXJl";

    private static JsonPath invoke(String eventFile) throws Exception {
        String event = Files.readString(Path.of("events", eventFile));
        return given().body(event).when().post("/_lambda_").then().extract().jsonPath();
    }
}
