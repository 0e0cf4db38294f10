package com.example.shop.auth.account;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api.Tokens;
import com.example.shop.auth.testing.FaultProxy.Mode;
import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.Passkeys;
import com.example.shop.auth.testing.SoftwareAuthenticator;
import com.example.shop.auth.testing.Table;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The account a signed-in customer manages: profile, password change, deletion. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class AccountTest {

    @Inject
    DynamoDbClient dynamo;

    @AfterEach
    void heal() {
        MotoServer.PROXIES.values().forEach(proxy -> proxy.setMode(Mode.PASS));
    }

    @Test
    void theProfileCanBeReadAndRenamed() {
        var user = Api.existingUser("profile");
        Tokens tokens = Api.signIn(user);
        Response me = Api.getSignedIn("/me", tokens.accessToken());
        me.then().statusCode(200).header("Cache-Control", "no-store")
                .body("email", equalTo(user.get("email")))
                .body("name", equalTo("Test profile"))
                .body("emailVerified", equalTo(false));
        assertEquals(Set.of("userId", "email", "name", "emailVerified", "createdAt", "updatedAt", "mfa"),
                me.jsonPath().getMap("$").keySet());

        Response renamed = Api.signedIn("PATCH", "/me", tokens.accessToken(), Map.of("name", "  Ada King "));
        renamed.then().statusCode(200).body("name", equalTo("Ada King"));
        assertTrue(Instant.parse(renamed.path("updatedAt")).isAfter(Instant.parse(me.path("updatedAt"))));
        Api.getSignedIn("/me", tokens.accessToken()).then().body("name", equalTo("Ada King"));
    }

    @Test
    void aNameWithControlCharactersOrNoneIsRefused() {
        Tokens tokens = Api.signIn(Api.existingUser("badname"));
        for (Object name : new Object[] { "Ada\u0000King", "   ", "x".repeat(101) }) {
            Api.signedIn("PATCH", "/me", tokens.accessToken(), Map.of("name", name)).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("name"));
        }
        Api.getSignedIn("/me", tokens.accessToken()).then().body("name", equalTo("Test badname"));
    }

    @Test
    void theProfileNeedsALiveSession() {
        Api.expectUnauthorized(io.restassured.RestAssured.given().get("/me").andReturn());
        Tokens tokens = Api.signIn(Api.existingUser("profile-out"));
        Api.logout(tokens.refreshToken()).then().statusCode(204);
        Api.expectUnauthorized(Api.getSignedIn("/me", tokens.accessToken()));
    }

    @Test
    void aWrongCurrentPasswordIs403AndTheFifthLocks() {
        var user = Api.existingUser("pwwrong");
        Tokens tokens = Api.signIn(user);
        for (int i = 1; i <= 5; i++) {
            Api.changePassword(tokens.accessToken(), Api.newPassword(), Api.newPassword()).then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("title", equalTo("Wrong password"));
        }
        Api.changePassword(tokens.accessToken(), user.get("password"), Api.newPassword()).then().statusCode(429)
                .header("Retry-After", equalTo("1"));
        Api.login(user.get("email"), user.get("password")).then().statusCode(429);
    }

    @Test
    void aWeakNewPasswordIs400AndNothingChanges() {
        var user = Api.existingUser("pwweak");
        Tokens tokens = Api.signIn(user);
        Api.changePassword(tokens.accessToken(), user.get("password"), "short").then().statusCode(400)
                .body("errors[0].field", equalTo("newPassword"));
        Api.changePassword(tokens.accessToken(), user.get("password"), user.get("email") + "-and-more").then()
                .statusCode(400).body("errors[0].field", equalTo("newPassword"));
        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
    }

    @Test
    void aPasswordChangeEndsEveryOtherSessionAndSaysSo() {
        var user = Api.existingUser("pwchange");
        Tokens other = Api.signIn(user);
        Tokens here = Api.signIn(user);
        String newPassword = Api.newPassword();

        Api.changePassword(here.accessToken(), user.get("password"), newPassword).then().statusCode(204);

        Api.expectUnauthorized(Api.getSignedIn("/me", other.accessToken()));
        Api.expectRefused(Api.refresh(other.refreshToken()));
        Api.getSignedIn("/me", here.accessToken()).then().statusCode(200);
        Api.refresh(here.refreshToken()).then().statusCode(200);
        Api.login(user.get("email"), user.get("password")).then().statusCode(401);
        Api.login(user.get("email"), newPassword).then().statusCode(200);
        assertEquals(1, Mailbox.withSubject(user.get("email"), "Your password was changed").size());
    }

    @Test
    void aPasswordChangeKillsAPendingResetLink() {
        var user = Api.existingUser("pwreset");
        Tokens tokens = Api.signIn(user);
        Api.requestReset(user.get("email")).then().statusCode(202);
        String resetToken = Mailbox.latestResetToken(user.get("email"));
        Api.changePassword(tokens.accessToken(), user.get("password"), Api.newPassword()).then().statusCode(204);
        Api.confirmReset(resetToken, Api.newPassword()).then().statusCode(400);
    }

    @Test
    void aWrongPasswordDeletesNothing() {
        var user = Api.existingUser("delwrong");
        Tokens tokens = Api.signIn(user);
        int before = Table.items(dynamo).size();
        Api.deleteAccount(tokens.accessToken(), Api.newPassword()).then().statusCode(403);
        assertEquals(before, Table.items(dynamo).size());
        Api.getSignedIn("/me", tokens.accessToken()).then().statusCode(200);
    }

    @Test
    void deletionLeavesNothingBehindAndTheEmailCanSignUpAgain() {
        var user = Api.existingUser("delete");
        String email = user.get("email");
        Tokens one = Api.signIn(user);
        Tokens two = Api.signIn(user);
        Api.requestReset(email).then().statusCode(202);
        Api.requestVerification(email).then().statusCode(202);
        String userId = Api.getSignedIn("/me", one.accessToken()).path("userId");
        SoftwareAuthenticator passkey = Passkeys.registered(one.accessToken());
        Passkeys.registrationOptions(one.accessToken()).then().statusCode(200); // an unused challenge expires by TTL

        Api.deleteAccount(one.accessToken(), user.get("password")).then().statusCode(204);

        List<Map<String, AttributeValue>> left = Table.items(dynamo).stream()
                .filter(item -> item.toString().contains(userId) || item.toString().contains(email)).toList();
        assertTrue(left.isEmpty(), "items still holding the user's id or email: " + left);
        Api.login(email, user.get("password")).then().statusCode(401);
        Passkeys.signIn(passkey).then().statusCode(401);
        for (Tokens tokens : List.of(one, two)) {
            Api.expectUnauthorized(Api.getSignedIn("/me", tokens.accessToken()));
            Api.expectRefused(Api.refresh(tokens.refreshToken()));
        }
        assertEquals(1, Mailbox.withSubject(email, "Your account was deleted").size());
        Api.signup(email, Api.newPassword(), "Again").then().statusCode(201);
    }

    @Test
    void dynamoDbDownMidDeletionIsA503AndARetryCompletesIt() {
        var user = Api.existingUser("deldown");
        Tokens tokens = Api.signIn(user);
        String userId = Api.getSignedIn("/me", tokens.accessToken()).path("userId");
        int before = Table.items(dynamo).size();

        // the password check reads and succeeds; the deletion's transaction cannot reach DynamoDB
        MotoServer.PROXIES.get("dynamodb").setMode(Mode.FAIL_TRANSACTIONS);
        Response down = Api.deleteAccount(tokens.accessToken(), user.get("password"));
        MotoServer.PROXIES.get("dynamodb").setMode(Mode.PASS);
        down.then().statusCode(503).header("Retry-After", equalTo("2"));
        assertEquals(before, Table.items(dynamo).size(), "nothing half-deleted");

        Api.deleteAccount(tokens.accessToken(), user.get("password")).then().statusCode(204);
        assertFalse(Table.item(dynamo, userId).isPresent());
        assertFalse(Table.item(dynamo, "EMAIL#" + user.get("email")).isPresent());
    }
}
