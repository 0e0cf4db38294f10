package com.example.shop.auth.session;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api.Tokens;
import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.Table;
import com.example.shop.auth.testing.TestClock;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Sessions through the Lambda HTTP path: rotation, reuse, sign-out, lifetimes, the cap, and revocation by reset. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class SessionsTest {

    private static final Duration PAST_GRACE = Duration.ofSeconds(11);

    @Inject
    TestClock clock;

    @Inject
    DynamoDbClient dynamo;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void loginReturnsARefreshTokenAndTheAccessTokenNamesItsSession() throws Exception {
        var user = Api.existingUser("session");
        Response login = Api.login(user.get("email"), user.get("password"));
        login.then().statusCode(200)
                .body("refreshExpiresIn", equalTo(7 * 24 * 3600))
                .body("refreshToken", not(equalTo(login.path("accessToken"))));
        Tokens tokens = Tokens.of(login);

        JwtClaims claims = Api.claims(tokens.accessToken());
        String sessionId = claims.getStringClaimValue("sid");
        assertEquals(Boolean.FALSE, claims.getClaimValue("email_verified"));
        Map<String, AttributeValue> session = Table.item(dynamo, "SESSION#" + sessionId).orElseThrow();
        assertEquals(claims.getSubject(), session.get("ownerId").s());
        assertFalse(session.toString().contains(tokens.refreshToken()), "only a hash of the refresh token is stored");
        assertTrue(session.containsKey("resetTokenExpiry"), "sessions expire through the table's TTL too");
        assertEquals(Set.of(sessionId), Set.copyOf(Table.item(dynamo, claims.getSubject()).orElseThrow()
                .get("sessionIds").ss()));
    }

    @Test
    void refreshRotatesAndKeepsTheSubjectAndSession() throws Exception {
        Tokens first = Api.signIn(Api.existingUser("rotate"));
        Tokens second = Tokens.of(Api.refresh(first.refreshToken()).then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900))
                .extract().response());

        assertNotEquals(first.refreshToken(), second.refreshToken());
        JwtClaims before = Api.claims(first.accessToken());
        JwtClaims after = Api.claims(second.accessToken());
        assertEquals(before.getSubject(), after.getSubject());
        assertEquals(before.getStringClaimValue("sid"), after.getStringClaimValue("sid"));
        assertNotEquals(before.getJwtId(), after.getJwtId());

        Api.getSignedIn("/me/sessions", second.accessToken()).then().statusCode(200);
        clock.advance(PAST_GRACE);
        Api.expectRefused(Api.refresh(first.refreshToken()));
    }

    @Test
    void aReplacedTokenPresentedAfterTheGraceEndsTheWholeSession() {
        Tokens first = Api.signIn(Api.existingUser("reuse"));
        Tokens second = Tokens.of(Api.refresh(first.refreshToken()).then().statusCode(200).extract().response());
        clock.advance(PAST_GRACE);

        Response reuse = Api.refresh(first.refreshToken());
        Response unknown = Api.refresh(first.refreshToken().substring(0, 37) + "A".repeat(43));
        Api.expectRefused(reuse);
        assertEquals(unknown.asString(), reuse.asString(), "reuse looks like any unknown token");

        Api.expectRefused(Api.refresh(second.refreshToken()));
        Api.expectUnauthorized(Api.getSignedIn("/me/sessions", second.accessToken()));
    }

    @Test
    void aReplacedTokenPresentedInsideTheGraceStillWorks() {
        Tokens first = Api.signIn(Api.existingUser("twotabs"));
        Tokens tabA = Tokens.of(Api.refresh(first.refreshToken()).then().statusCode(200).extract().response());
        Tokens tabB = Tokens.of(Api.refresh(first.refreshToken()).then().statusCode(200).extract().response());

        Api.getSignedIn("/me/sessions", tabA.accessToken()).then().statusCode(200);
        Api.getSignedIn("/me/sessions", tabB.accessToken()).then().statusCode(200);
        Tokens later = Tokens.of(Api.refresh(tabB.refreshToken()).then().statusCode(200).extract().response());
        Api.getSignedIn("/me/sessions", later.accessToken()).then().statusCode(200);
    }

    @Test
    void everyTabRefreshingOneTokenInsideTheGraceGetsTokensAndTheSessionLives() {
        Tokens first = Api.signIn(Api.existingUser("threetabs"));
        List<Tokens> tabs = new ArrayList<>();
        for (int tab = 0; tab < 4; tab++) {
            tabs.add(Tokens.of(Api.refresh(first.refreshToken()).then().statusCode(200).extract().response()));
        }
        for (Tokens tab : tabs) {
            Api.getSignedIn("/me/sessions", tab.accessToken()).then().statusCode(200);
        }
        // each tab's own new token works too while the grace of its replacement lasts
        Tokens again = Tokens.of(Api.refresh(tabs.get(0).refreshToken()).then().statusCode(200).extract().response());
        Api.getSignedIn("/me/sessions", again.accessToken()).then().statusCode(200);

        clock.advance(PAST_GRACE);
        Api.expectRefused(Api.refresh(first.refreshToken())); // past the grace: reuse, and the session ends
        Api.expectRefused(Api.refresh(again.refreshToken()));
    }

    @Test
    void logoutEndsThatSessionOnly() {
        var user = Api.existingUser("logout");
        Tokens phone = Api.signIn(user);
        Tokens laptop = Api.signIn(user);

        Api.logout(phone.refreshToken()).then().statusCode(204);

        Api.expectRefused(Api.refresh(phone.refreshToken()));
        Api.expectUnauthorized(Api.getSignedIn("/me/sessions", phone.accessToken()));
        Api.getSignedIn("/me/sessions", laptop.accessToken()).then().statusCode(200).body("sessions", hasSize(1));
        Api.refresh(laptop.refreshToken()).then().statusCode(200);
    }

    @Test
    void logoutAnswers204WhateverTheToken() {
        Tokens tokens = Api.signIn(Api.existingUser("logout-any"));
        Api.logout(tokens.refreshToken()).then().statusCode(204);
        Api.logout(tokens.refreshToken()).then().statusCode(204);
        Api.logout("not-a-token").then().statusCode(204);
        Api.logout(tokens.refreshToken().substring(0, 37) + "B".repeat(43)).then().statusCode(204);
        Api.post("/logout", Map.of()).then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aLogoutWithAForgedSecretDoesNotEndTheSession() {
        Tokens tokens = Api.signIn(Api.existingUser("logout-forged"));
        Api.logout(tokens.refreshToken().substring(0, 37) + "C".repeat(43)).then().statusCode(204);
        Api.refresh(tokens.refreshToken()).then().statusCode(200);
    }

    @Test
    void aCompletedResetEndsEverySession() {
        var user = Api.existingUser("reset-ends");
        Tokens one = Api.signIn(user);
        Tokens two = Api.signIn(user);

        Api.requestReset(user.get("email")).then().statusCode(202);
        Api.confirmReset(Mailbox.latestResetToken(user.get("email")), Api.newPassword()).then().statusCode(204);

        for (Tokens tokens : List.of(one, two)) {
            Api.expectUnauthorized(Api.getSignedIn("/me/sessions", tokens.accessToken()));
            Api.expectRefused(Api.refresh(tokens.refreshToken()));
        }
        String userId = Table.usersWithEmail(dynamo, user.get("email")).get(0).get("userId").s();
        assertFalse(Table.item(dynamo, userId).orElseThrow().containsKey("sessionIds"));
    }

    @Test
    void anIdleSessionEnds() {
        Tokens tokens = Api.signIn(Api.existingUser("idle"));
        clock.advance(Duration.ofDays(6));
        Tokens used = Tokens.of(Api.refresh(tokens.refreshToken()).then().statusCode(200).extract().response());
        clock.advance(Duration.ofDays(7).plusSeconds(1));
        Api.expectRefused(Api.refresh(used.refreshToken()));
    }

    @Test
    void aSessionEndsAtItsAbsoluteLifetimeHoweverOftenItIsUsed() {
        Tokens tokens = Api.signIn(Api.existingUser("absolute"));
        for (int day = 6; day < 30; day += 6) {
            clock.advance(Duration.ofDays(6));
            tokens = Tokens.of(Api.refresh(tokens.refreshToken()).then().statusCode(200).extract().response());
            Api.getSignedIn("/me/sessions", tokens.accessToken()).then().statusCode(200);
        }
        clock.advance(Duration.ofDays(6)); // day 30
        Api.expectRefused(Api.refresh(tokens.refreshToken()));
    }

    @Test
    void theEleventhLoginEndsTheOldestSession() throws Exception {
        var user = Api.existingUser("cap");
        List<Tokens> sessions = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            sessions.add(Api.signIn(user));
            clock.advance(Duration.ofSeconds(1));
        }
        Api.expectRefused(Api.refresh(sessions.get(0).refreshToken()));
        Api.expectUnauthorized(Api.getSignedIn("/me/sessions", sessions.get(0).accessToken()));
        Response list = Api.getSignedIn("/me/sessions", sessions.get(10).accessToken());
        list.then().statusCode(200).body("sessions", hasSize(10));
        String newest = Api.claims(sessions.get(10).accessToken()).getStringClaimValue("sid");
        assertEquals(newest, list.path("sessions[0].sessionId"), "newest first");
        assertEquals(Boolean.TRUE, list.path("sessions[0].current"));
        Api.refresh(sessions.get(1).refreshToken()).then().statusCode(200);
    }

    @Test
    void theSessionListShowsDevicesAndEndingOneSignsItOut() throws Exception {
        var user = Api.existingUser("devices");
        Tokens phone = Tokens.of(io.restassured.RestAssured.given().contentType("application/json")
                .header("User-Agent", "ShopApp/2.1\t(iPhone) " + "x".repeat(300))
                .body(Map.of("email", user.get("email"), "password", user.get("password")))
                .post("/login").then().statusCode(200).extract().response());
        Tokens laptop = Api.signIn(user);
        String phoneSession = Api.claims(phone.accessToken()).getStringClaimValue("sid");

        Response list = Api.getSignedIn("/me/sessions", laptop.accessToken());
        list.then().statusCode(200).header("Cache-Control", "no-store").body("sessions", hasSize(2));
        Map<String, Object> phoneView = list.jsonPath().getMap("sessions.find { it.sessionId == '" + phoneSession + "' }");
        String userAgent = (String) phoneView.get("userAgent");
        assertTrue(userAgent.startsWith("ShopApp/2.1(iPhone) x"), "control characters dropped: " + userAgent);
        assertEquals(200, userAgent.length(), "shortened");
        assertEquals(Boolean.FALSE, phoneView.get("current"));
        assertEquals(Set.of("sessionId", "createdAt", "lastUsedAt", "userAgent", "current"), phoneView.keySet());

        Api.deleteSignedIn("/me/sessions/" + phoneSession, laptop.accessToken()).then().statusCode(204);
        Api.expectUnauthorized(Api.getSignedIn("/me/sessions", phone.accessToken()));
        Api.expectRefused(Api.refresh(phone.refreshToken()));
        Api.deleteSignedIn("/me/sessions/" + phoneSession, laptop.accessToken()).then().statusCode(404)
                .contentType("application/problem+json");
        Api.deleteSignedIn("/me/sessions/not-a-session", laptop.accessToken()).then().statusCode(404);
    }

    @Test
    void aSessionOfAnotherUserCannotBeEnded() throws Exception {
        Tokens mine = Api.signIn(Api.existingUser("mine"));
        Tokens theirs = Api.signIn(Api.existingUser("theirs"));
        String theirSession = Api.claims(theirs.accessToken()).getStringClaimValue("sid");

        Api.deleteSignedIn("/me/sessions/" + theirSession, mine.accessToken()).then().statusCode(404);
        Api.refresh(theirs.refreshToken()).then().statusCode(200);
    }

    @Test
    void malformedRefreshRequestsAreProblems() {
        Api.post("/token/refresh", Map.of()).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("refreshToken"));
        Api.postRaw("/token/refresh", "application/json", "{\"refreshToken\": 42}").then().statusCode(400);
        Api.expectRefused(Api.refresh("x".repeat(5000)));
        Api.expectRefused(Api.refresh("00000000-0000-4000-8000-000000000000." + "A".repeat(43)));
    }
}
