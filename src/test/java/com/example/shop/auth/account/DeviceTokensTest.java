package com.example.shop.auth.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;
import com.example.shop.auth.testing.TestClock;
import com.example.shop.auth.testing.TestSecrets;
import com.example.shop.auth.token.RandomTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A lockout an attacker cannot aim at the owner (OWASP's device cookies): a successful login hands out a device
 * token; a login presenting one of the account's is not held to the lock that failures from untrusted clients built,
 * and has a budget of its own.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class DeviceTokensTest {

    @Inject
    TestClock clock;

    @Inject
    DynamoDbClient dynamo;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aLoginCarriesARandomDeviceTokenOfWhichOnlyTheHashIsStored() {
        var user = Api.existingUser("device");
        Response login = Api.login(user.get("email"), user.get("password"));
        login.then().statusCode(200);
        String token = TestSecrets.remember(login.path("deviceToken"));
        TestSecrets.remember(login.path("accessToken"));
        TestSecrets.remember(login.path("refreshToken"));

        assertTrue(RandomTokens.looksLikeToken(token), token.length() + " characters of base64url");
        assertTrue(Base64.getUrlDecoder().decode(token).length * 8 >= 256, "at least 256 bits");
        var userItem = Table.usersWithEmail(dynamo, user.get("email")).get(0);
        var devices = userItem.get("devices").m();
        assertEquals(Set.of(RandomTokens.hash(token)), devices.keySet(), "the user's item holds the token's hash");
        Instant expiresAt = Instant.parse(devices.get(RandomTokens.hash(token)).m().get("expiresAt").s());
        Instant in90Days = clock.instant().plus(Duration.ofDays(90));
        assertTrue(Duration.between(expiresAt, in90Days).abs().toSeconds() < 60, "the device token lives 90 days");
        assertTrue(Table.items(dynamo).stream().noneMatch(i -> i.toString().contains(token)), "never the token itself");
        assertFalse(userItem.containsKey("resetTokenExpiry"), "a user item never carries the TTL attribute");

        Response refreshed = Api.refresh(TestSecrets.remember(login.path("refreshToken")));
        refreshed.then().statusCode(200);
        TestSecrets.remember(refreshed.path("accessToken"));
        TestSecrets.remember(refreshed.path("refreshToken"));
        assertNull(refreshed.path("deviceToken"), "only a login hands out device tokens");
    }

    @Test
    void anAttackersTwentyFailuresLockUntrustedLoginsButTheOwnersDeviceStillLogsIn() {
        var user = Api.existingUser("device-attack");
        String email = user.get("email");
        String password = user.get("password");
        String device = deviceTokenOf(login(email, password, null));

        for (int i = 0; i < 20; i++) { // twenty counted failures: each waits out the lock the one before set
            Response attempt = Api.login(email, Api.newPassword());
            while (attempt.statusCode() == 429) {
                clock.advance(Duration.ofSeconds(Long.parseLong(attempt.header("Retry-After")) + 1));
                attempt = Api.login(email, Api.newPassword());
            }
            assertEquals(401, attempt.statusCode(), "failure " + (i + 1));
        }
        Response locked = Api.login(email, password);
        locked.then().statusCode(429); // untrusted clients: locked, right password or not
        assertTrue(Long.parseLong(locked.header("Retry-After")) > 800, "twenty failures lock for the longest, 15 minutes");

        Response owner = login(email, password, device);
        owner.then().statusCode(200);
        String next = deviceTokenOf(owner);
        assertNotEquals(device, next, "a login replaces the device token it presented");
        login(email, password, device).then().statusCode(429); // the replaced token is trusted no more
        login(email, password, next).then().statusCode(200);

        // the lock is still there for everyone else, and a reset still works during the attack
        Api.login(email, password).then().statusCode(429);
        Api.requestReset(email).then().statusCode(202);
        String newPassword = Api.newPassword();
        Api.confirmReset(Mailbox.latestResetToken(email), newPassword).then().statusCode(204);
        Api.login(email, newPassword).then().statusCode(200);
    }

    @Test
    void aForgedTokenOrAnotherUsersDeviceTokenGivesNoBypass() {
        var victim = Api.existingUser("device-victim");
        var other = Api.existingUser("device-other");
        String othersDevice = deviceTokenOf(login(other.get("email"), other.get("password"), null));
        for (int i = 0; i < 5; i++) {
            Api.login(victim.get("email"), Api.newPassword()).then().statusCode(401);
        }

        String forged = TestSecrets.remember(new RandomTokens().newToken());
        for (String presented : new String[] { forged, othersDevice, TestSecrets.remember("not a token!"), "" }) {
            Response attempt = login(victim.get("email"), victim.get("password"), presented);
            attempt.then().statusCode(429);
        }
        // and the other user's token is still its own
        login(other.get("email"), other.get("password"), othersDevice).then().statusCode(200);
    }

    @Test
    void deletingTheAccountLeavesNoDeviceTokenBehind() {
        var user = Api.existingUser("device-deleted");
        String device = deviceTokenOf(login(user.get("email"), user.get("password"), null));
        Response again = login(user.get("email"), user.get("password"), device);
        String access = TestSecrets.remember(again.path("accessToken"));
        Api.deleteAccount(access, user.get("password")).then().statusCode(204);

        String hash = RandomTokens.hash(deviceTokenOf(again));
        assertTrue(Table.items(dynamo).stream().noneMatch(i -> i.toString().contains(hash)), "gone with the account");
        String password = Api.newPassword();
        Api.signup(user.get("email"), password, "Again").then().statusCode(201);
        for (int i = 0; i < 5; i++) {
            Api.login(user.get("email"), Api.newPassword()).then().statusCode(401);
        }
        login(user.get("email"), password, again.path("deviceToken")).then().statusCode(429); // not the new account's
    }

    @Test
    void fiveFailuresWithADeviceTokenLockThatTokenAlone() {
        var user = Api.existingUser("device-own-budget");
        String email = user.get("email");
        String password = user.get("password");
        String laptop = deviceTokenOf(login(email, password, null));
        String phone = deviceTokenOf(login(email, password, null));

        for (int i = 0; i < 5; i++) {
            login(email, Api.newPassword(), laptop).then().statusCode(401);
        }
        Response locked = login(email, password, laptop);
        locked.then().statusCode(429);
        assertEquals("1", locked.header("Retry-After"), "the device's 5th failure locks it for 2^0 s, as an account's");

        login(email, password, phone).then().statusCode(200); // another device of the owner
        login(email, password, null).then().statusCode(200); // the account itself: its own count is untouched

        clock.advance(Duration.ofSeconds(2));
        login(email, password, laptop).then().statusCode(200);
    }

    @Test
    void failuresWithADeviceTokenDoNotCountTowardTheAccountsLock() {
        var user = Api.existingUser("device-apart");
        String email = user.get("email");
        String password = user.get("password");
        String device = deviceTokenOf(login(email, password, null));
        for (int i = 0; i < 4; i++) {
            login(email, Api.newPassword(), device).then().statusCode(401);
        }
        for (int i = 0; i < 4; i++) {
            Api.login(email, Api.newPassword()).then().statusCode(401);
        }
        Api.login(email, password).then().statusCode(200); // 4 + 4 failures, yet neither count reached 5
    }

    private static Response login(String email, String password, String deviceToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("password", password);
        if (deviceToken != null) {
            body.put("deviceToken", deviceToken);
        }
        Response response = Api.post("/login", body);
        if (response.statusCode() == 200) {
            TestSecrets.remember(response.path("accessToken"));
            TestSecrets.remember(response.path("refreshToken"));
            TestSecrets.remember(response.path("deviceToken"));
        }
        return response;
    }

    private static String deviceTokenOf(Response login) {
        login.then().statusCode(200);
        String token = login.path("deviceToken");
        assertTrue(token != null && !token.isEmpty(), "a successful login carries a device token");
        return TestSecrets.remember(token);
    }
}
