package com.example.shop.auth.account;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.Table;
import com.example.shop.auth.testing.TestClock;
import com.example.shop.auth.testing.TestSecrets;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class PasswordResetTest {

    @Inject
    DynamoDbClient dynamo;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void theWholeResetFromEmailToNewPassword() {
        var user = Api.existingUser("reset");
        String email = user.get("email");

        Api.requestReset(email).then().statusCode(202);
        var mail = Mailbox.withSubject(email, "Reset your password").get(0);
        assertEquals("no-reply@shop.example.com", mail.source());
        assertTrue(mail.body().contains("https://shop.example.com/reset-password?token="), "link from the configured base");
        String token = Mailbox.latestResetToken(email);

        String newPassword = Api.newPassword();
        Api.confirmReset(token, newPassword).then().statusCode(204);

        Api.login(email, user.get("password")).then().statusCode(401);
        Api.login(email, newPassword).then().statusCode(200);
        assertTrue(Mailbox.sentTo(email).stream().anyMatch(m -> m.subject().equals("Your password was changed")));

        Api.confirmReset(token, Api.newPassword()).then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid reset token"));
        Api.login(email, newPassword).then().statusCode(200);
    }

    @Test
    void theSameAnswerWhetherOrNotTheAccountExists() {
        var user = Api.existingUser("known");
        String unknown = Api.uniqueEmail("unknown");
        Response known = Api.requestReset(user.get("email"));
        Response notKnown = Api.requestReset(unknown);
        assertEquals(202, known.statusCode());
        assertEquals(known.statusCode(), notKnown.statusCode());
        assertEquals(known.asString(), notKnown.asString());
        assertTrue(Mailbox.sentTo(unknown).isEmpty());
        assertEquals(1, Mailbox.withSubject(user.get("email"), "Reset your password").size());
    }

    @Test
    void onlyTheHashOfTheTokenIsStoredAndTheUserItemNeverGetsTheTtlAttribute() throws Exception {
        var user = Api.existingUser("hash");
        Api.requestReset(user.get("email")).then().statusCode(202);
        String token = Mailbox.latestResetToken(user.get("email"));
        String hash = sha256(token);

        var userItem = Table.usersWithEmail(dynamo, user.get("email")).get(0);
        assertEquals(hash, userItem.get("resetToken").s());
        assertFalse(userItem.containsKey("resetTokenExpiry"));
        var tokenItem = Table.item(dynamo, "RESET#" + hash).orElseThrow();
        assertEquals(userItem.get("userId").s(), tokenItem.get("ownerId").s());
        assertTrue(tokenItem.containsKey("resetTokenExpiry"));
        assertFalse(Table.items(dynamo).toString().contains(token), "the token itself is nowhere in the table");
    }

    @Test
    void anExpiredTokenFailsEvenWhileItsItemStillExists() throws Exception {
        var user = Api.existingUser("expired");
        Api.requestReset(user.get("email")).then().statusCode(202);
        String token = Mailbox.latestResetToken(user.get("email"));

        clock.advance(Duration.ofMinutes(30).plusSeconds(1));
        assertTrue(Table.item(dynamo, "RESET#" + sha256(token)).isPresent(), "TTL has not removed it yet");
        Api.confirmReset(token, Api.newPassword()).then().statusCode(400);
        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
    }

    @Test
    void aNewerRequestInvalidatesTheOlderToken() throws Exception {
        var user = Api.existingUser("newer");
        Api.requestReset(user.get("email")).then().statusCode(202);
        String first = Mailbox.latestResetToken(user.get("email"));
        Api.requestReset(user.get("email")).then().statusCode(202);
        String second = Mailbox.latestResetToken(user.get("email"));

        assertFalse(first.equals(second));
        assertTrue(Table.item(dynamo, "RESET#" + sha256(first)).isEmpty(), "the older token item is gone");
        Api.confirmReset(first, Api.newPassword()).then().statusCode(400);
        Api.confirmReset(second, Api.newPassword()).then().statusCode(204);
    }

    @Test
    void ofTwoRacingConfirmsExactlyOneWins() throws Exception {
        var user = Api.existingUser("racing");
        Api.requestReset(user.get("email")).then().statusCode(202);
        String token = Mailbox.latestResetToken(user.get("email"));
        List<String> passwords = List.of(Api.newPassword(), Api.newPassword());

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (String password : passwords) {
                results.add(pool.submit(() -> {
                    start.await();
                    return Api.confirmReset(token, password).statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            statuses.sort(null);
            assertEquals(List.of(204, 400), statuses);
        } finally {
            pool.shutdownNow();
        }
        long working = passwords.stream()
                .filter(p -> Api.login(user.get("email"), p).statusCode() == 200).count();
        assertEquals(1, working, "exactly one of the two new passwords took effect");
    }

    @Test
    void aWeakNewPasswordIsRefusedAndTheTokenStaysUsable() {
        var user = Api.existingUser("weaknew");
        Api.requestReset(user.get("email")).then().statusCode(202);
        String token = Mailbox.latestResetToken(user.get("email"));

        Api.confirmReset(token, TestSecrets.remember("too-short")).then().statusCode(400)
                .body("errors[0].field", equalTo("newPassword"));
        Api.confirmReset(token, Api.newPassword()).then().statusCode(204);
    }

    @Test
    void aCompletedResetClearsTheLockout() {
        var user = Api.existingUser("unlock");
        String email = user.get("email");
        for (int i = 0; i < 5; i++) {
            Api.login(email, Api.newPassword()).then().statusCode(401);
        }
        Api.login(email, user.get("password")).then().statusCode(429);

        Api.requestReset(email).then().statusCode(202);
        String newPassword = Api.newPassword();
        Api.confirmReset(Mailbox.latestResetToken(email), newPassword).then().statusCode(204);

        Api.login(email, newPassword).then().statusCode(200);
        Map<String, AttributeValue> item = Table.usersWithEmail(dynamo, email).get(0);
        assertEquals("0", item.get("failedLogins").n());
        assertFalse(item.containsKey("lockedUntil"));
        assertFalse(item.containsKey("resetToken"));
        assertTrue(item.containsKey("passwordChangedAt"));
    }

    static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}
