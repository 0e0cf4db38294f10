package com.example.shop.auth.account;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.Api.Tokens;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;
import com.example.shop.auth.testing.TestClock;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Changing the email of an account: the request with the password, the link to the new address, its confirmation
 * in one transaction, the notices, and what never reveals whether an address is taken.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class EmailChangeTest {

    private static final String LINK_SUBJECT = "Confirm your new email address";
    private static final String TAKEN_NOTICE_SUBJECT = "Someone tried to use your email address";
    private static final String CHANGED_NOTICE_SUBJECT = "Your email address was changed";

    @Inject
    DynamoDbClient dynamo;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void theLinkMailedToTheNewAddressMovesTheAccountThere() throws Exception {
        var user = Api.existingUser("change");
        String oldEmail = user.get("email");
        String newEmail = Api.uniqueEmail("changed");
        Tokens tokens = Api.signIn(user);
        String userId = Api.getSignedIn("/me", tokens.accessToken()).path("userId");

        Api.changeEmail(tokens.accessToken(), newEmail, user.get("password")).then().statusCode(202)
                .contentType("application/json");

        Mailbox.Mail mail = Mailbox.withSubject(newEmail, LINK_SUBJECT).get(0);
        assertTrue(mail.body().contains("https://shop.example.com/confirm-email-change?token="), mail.body());
        assertTrue(mail.body().contains("60 minutes"), mail.body());
        String token = Mailbox.latestEmailChangeToken(newEmail);
        List<Map<String, AttributeValue>> pending = changeTokensOf(userId);
        assertEquals(1, pending.size(), "one live email-change token");
        Map<String, AttributeValue> item = pending.get(0);
        assertFalse(item.toString().contains(token), "only the hash of the token is stored");
        assertEquals(newEmail, item.get("pendingEmail").s());
        assertFalse(item.containsKey("email"), "the email-index GSI stays users-only");
        assertTrue(item.containsKey("resetTokenExpiry"), "TTL cleans it up");
        Api.getSignedIn("/me", tokens.accessToken()).then().body("email", equalTo(oldEmail));
        Api.login(oldEmail, user.get("password")).then().statusCode(200); // nothing changes before the link is used

        Api.confirmEmailChange(token).then().statusCode(204);

        Api.login(oldEmail, user.get("password")).then().statusCode(401);
        Tokens afterwards = Tokens.of(Api.login(newEmail, user.get("password")).then().statusCode(200).extract()
                .response());
        Api.getSignedIn("/me", afterwards.accessToken()).then().statusCode(200)
                .body("userId", equalTo(userId))
                .body("email", equalTo(newEmail))
                .body("emailVerified", equalTo(true));
        assertEquals(newEmail, Api.claims(afterwards.accessToken()).getClaimValue("email"));
        assertEquals(Boolean.TRUE, Api.claims(afterwards.accessToken()).getClaimValue("email_verified"));
        Api.getSignedIn("/me", tokens.accessToken()).then().statusCode(200).body("email", equalTo(newEmail));

        List<Mailbox.Mail> notices = Mailbox.withSubject(oldEmail, CHANGED_NOTICE_SUBJECT);
        assertEquals(1, notices.size(), "the old address is told");
        String masked = newEmail.charAt(0) + "***" + newEmail.substring(newEmail.indexOf('@'));
        assertTrue(notices.get(0).body().contains(masked), notices.get(0).body());
        assertFalse(notices.get(0).body().contains(newEmail), "the new address only masked");

        assertFalse(Table.item(dynamo, "EMAIL#" + oldEmail).isPresent(), "the old address is released");
        assertEquals(userId, Table.item(dynamo, "EMAIL#" + newEmail).orElseThrow().get("ownerId").s());
        assertEquals(1, Table.usersWithEmail(dynamo, newEmail).size());
        assertTrue(Table.usersWithEmail(dynamo, oldEmail).isEmpty());
        assertTrue(changeTokensOf(userId).isEmpty(), "the token is used up");
        Map<String, AttributeValue> userItem = Table.item(dynamo, userId).orElseThrow();
        assertFalse(userItem.containsKey("emailChangeToken"));
        assertFalse(userItem.containsKey("resetTokenExpiry"), "a user item never carries the TTL attribute");

        Api.signup(oldEmail, Api.newPassword(), "Someone Else").then().statusCode(201);
    }

    @Test
    void aTakenAddressGetsTheSameAnswerItsOwnerANoticeAndNobodyALink() {
        var owner = Api.existingUser("taken-owner");
        var user = Api.existingUser("taken-asker");
        Tokens tokens = Api.signIn(user);
        String userId = Table.usersWithEmail(dynamo, user.get("email")).get(0).get("userId").s();

        Response taken = Api.changeEmail(tokens.accessToken(), "  " + owner.get("email").toUpperCase() + " ",
                user.get("password"));
        taken.then().statusCode(202);

        assertEquals(1, Mailbox.withSubject(owner.get("email"), TAKEN_NOTICE_SUBJECT).size(), "the owner is told");
        assertTrue(Mailbox.withSubject(owner.get("email"), LINK_SUBJECT).isEmpty(), "no link to the taken address");
        assertTrue(Mailbox.withSubject(user.get("email"), LINK_SUBJECT).isEmpty(), "no link anywhere");
        assertTrue(changeTokensOf(userId).isEmpty(), "no token was issued");
        String notice = Mailbox.withSubject(owner.get("email"), TAKEN_NOTICE_SUBJECT).get(0).body();
        assertFalse(notice.contains(user.get("email")), "the notice does not name the asker");

        String free = Api.uniqueEmail("taken-free");
        Response forFree = Api.changeEmail(tokens.accessToken(), free, user.get("password"));
        forFree.then().statusCode(202);
        assertEquals(forFree.asString(), taken.asString(), "the same body whether or not the address is taken");
        assertEquals(forFree.contentType(), taken.contentType());
        assertEquals(1, Mailbox.withSubject(free, LINK_SUBJECT).size());

        Api.login(owner.get("email"), owner.get("password")).then().statusCode(200); // the owner keeps the address
        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
    }

    @Test
    void twoAccountsRacingForOneAddressGetItOnce() throws Exception {
        var first = Api.existingUser("race-one");
        var second = Api.existingUser("race-two");
        String contested = Api.uniqueEmail("race-contested");
        Api.changeEmail(Api.signIn(first).accessToken(), contested, first.get("password")).then().statusCode(202);
        String firstToken = Mailbox.latestEmailChangeToken(contested);
        Api.changeEmail(Api.signIn(second).accessToken(), contested, second.get("password")).then().statusCode(202);
        String secondToken = Mailbox.latestEmailChangeToken(contested);
        assertFalse(firstToken.equals(secondToken));

        List<Integer> statuses = concurrently(() -> Api.confirmEmailChange(firstToken).statusCode(),
                () -> Api.confirmEmailChange(secondToken).statusCode());

        assertEquals(1, statuses.stream().filter(s -> s == 204).count(), "exactly one wins: " + statuses);
        assertTrue(statuses.stream().allMatch(s -> s == 204 || s == 409 || s == 400), "the other loses: " + statuses);
        var winner = statuses.get(0) == 204 ? first : second;
        var loser = statuses.get(0) == 204 ? second : first;
        String winnerId = Table.usersWithEmail(dynamo, contested).get(0).get("userId").s();
        assertEquals(1, Table.usersWithEmail(dynamo, contested).size(), "one account holds the address");
        assertEquals(winnerId, Table.item(dynamo, "EMAIL#" + contested).orElseThrow().get("ownerId").s());
        Api.login(contested, winner.get("password")).then().statusCode(200);
        Api.login(loser.get("email"), loser.get("password")).then().statusCode(200); // the loser keeps its address
        assertTrue(Table.item(dynamo, "EMAIL#" + loser.get("email")).isPresent());
        assertFalse(Table.item(dynamo, "EMAIL#" + winner.get("email")).isPresent());
    }

    @Test
    void anAddressRegisteredAfterTheLinkWasSentIs409AndNothingChanges() {
        var user = Api.existingUser("meanwhile");
        String wanted = Api.uniqueEmail("meanwhile-wanted");
        Api.changeEmail(Api.signIn(user).accessToken(), wanted, user.get("password")).then().statusCode(202);
        String token = Mailbox.latestEmailChangeToken(wanted);
        Api.signup(wanted, Api.newPassword(), "Quicker").then().statusCode(201);

        Api.confirmEmailChange(token).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ecommerce-auth:problem:email-taken"))
                .body("status", equalTo(409));

        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
        assertTrue(Mailbox.withSubject(user.get("email"), CHANGED_NOTICE_SUBJECT).isEmpty());
    }

    @Test
    void aUsedReplacedExpiredOrForgedTokenIsRefusedWithOneMessage() {
        var user = Api.existingUser("change-bad");
        Tokens tokens = Api.signIn(user);
        String newEmail = Api.uniqueEmail("change-bad-new");
        Api.changeEmail(tokens.accessToken(), newEmail, user.get("password")).then().statusCode(202);
        String replaced = Mailbox.latestEmailChangeToken(newEmail);
        Api.changeEmail(tokens.accessToken(), newEmail, user.get("password")).then().statusCode(202);
        String expiring = Mailbox.latestEmailChangeToken(newEmail);
        refused(Api.confirmEmailChange(replaced)); // a newer request replaced it

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        refused(Api.confirmEmailChange(expiring)); // expired, though its item still exists
        clock.reset();

        Api.changeEmail(tokens.accessToken(), newEmail, user.get("password")).then().statusCode(202);
        String used = Mailbox.latestEmailChangeToken(newEmail);
        Api.confirmEmailChange(used).then().statusCode(204);
        refused(Api.confirmEmailChange(used)); // used
        refused(Api.confirmEmailChange("A".repeat(43)));
        refused(Api.confirmEmailChange("not a token!"));
        Api.post("/email-change/confirm", Map.of()).then().statusCode(400);
        assertEquals(1, Mailbox.withSubject(user.get("email"), CHANGED_NOTICE_SUBJECT).size());
    }

    @Test
    void oneTokenConfirmedTwiceAtOnceChangesOnce() throws Exception {
        var user = Api.existingUser("change-twice");
        String newEmail = Api.uniqueEmail("change-twice-new");
        Api.changeEmail(Api.signIn(user).accessToken(), newEmail, user.get("password")).then().statusCode(202);
        String token = Mailbox.latestEmailChangeToken(newEmail);

        List<Integer> statuses = concurrently(() -> Api.confirmEmailChange(token).statusCode(),
                () -> Api.confirmEmailChange(token).statusCode());

        assertEquals(List.of(204, 400), statuses.stream().sorted().toList());
        assertEquals(1, Mailbox.withSubject(user.get("email"), CHANGED_NOTICE_SUBJECT).size());
    }

    @Test
    void aWrongPasswordIs403AndCountsTowardTheLockout() {
        var user = Api.existingUser("change-wrong");
        Tokens tokens = Api.signIn(user);
        String newEmail = Api.uniqueEmail("change-wrong-new");
        for (int i = 1; i <= 5; i++) {
            Api.changeEmail(tokens.accessToken(), newEmail, Api.newPassword()).then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("title", equalTo("Wrong password"));
        }
        Api.changeEmail(tokens.accessToken(), newEmail, user.get("password")).then().statusCode(429)
                .header("Retry-After", equalTo("1"));
        Api.login(user.get("email"), user.get("password")).then().statusCode(429);
        assertTrue(Mailbox.sentTo(newEmail).isEmpty(), "nothing is sent without the right password");
    }

    @Test
    void theNewEmailFollowsTheSignupRules() {
        var user = Api.existingUser("change-rules");
        Tokens tokens = Api.signIn(user);
        for (String bad : new String[] { "not-an-email", "two@@example.com", "a b@example.com", "",
                "x@" + "y".repeat(250) + ".com" }) {
            Api.changeEmail(tokens.accessToken(), bad, user.get("password")).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("newEmail"));
        }
        Api.changeEmail(tokens.accessToken(), " " + user.get("email").toUpperCase(), user.get("password")).then()
                .statusCode(400).body("errors[0].field", equalTo("newEmail"));
        Api.signedIn("POST", "/me/email", tokens.accessToken(), Map.of("newEmail", Api.uniqueEmail("nopw")))
                .then().statusCode(400).body("errors[0].field", equalTo("password"));
        Api.expectUnauthorized(Api.post("/me/email", Map.of("newEmail", Api.uniqueEmail("anon"),
                "password", user.get("password"))));
    }

    @Test
    void aPasswordChangeOrResetKillsAPendingChange() {
        var user = Api.existingUser("change-pw");
        Tokens tokens = Api.signIn(user);
        String newEmail = Api.uniqueEmail("change-pw-new");
        Api.changeEmail(tokens.accessToken(), newEmail, user.get("password")).then().statusCode(202);
        String beforeChange = Mailbox.latestEmailChangeToken(newEmail);
        String changed = Api.newPassword();
        Api.changePassword(tokens.accessToken(), user.get("password"), changed).then().statusCode(204);
        refused(Api.confirmEmailChange(beforeChange));

        Api.changeEmail(tokens.accessToken(), newEmail, changed).then().statusCode(202);
        String beforeReset = Mailbox.latestEmailChangeToken(newEmail);
        Api.requestReset(user.get("email")).then().statusCode(202);
        Api.confirmReset(Mailbox.latestResetToken(user.get("email")), Api.newPassword()).then().statusCode(204);
        refused(Api.confirmEmailChange(beforeReset));
        String userId = Table.usersWithEmail(dynamo, user.get("email")).get(0).get("userId").s();
        assertTrue(changeTokensOf(userId).isEmpty(), "the withdrawn tokens' items are gone too");
    }

    @Test
    void linksMailedToTheOldAddressDieWithTheChange() {
        var user = Api.existingUser("change-old-links");
        String oldEmail = user.get("email");
        Tokens tokens = Api.signIn(user);
        Api.requestReset(oldEmail).then().statusCode(202);
        String resetToken = Mailbox.latestResetToken(oldEmail);
        String verificationToken = Mailbox.latestVerificationToken(oldEmail);
        String newEmail = Api.uniqueEmail("change-old-links-new");
        Api.changeEmail(tokens.accessToken(), newEmail, user.get("password")).then().statusCode(202);
        Api.confirmEmailChange(Mailbox.latestEmailChangeToken(newEmail)).then().statusCode(204);

        Api.confirmReset(resetToken, Api.newPassword()).then().statusCode(400);
        Api.confirmVerification(verificationToken).then().statusCode(400);
        Api.login(newEmail, user.get("password")).then().statusCode(200);
    }

    @Test
    void deletingTheAccountDeletesAPendingChangeToo() {
        var user = Api.existingUser("change-delete");
        Tokens tokens = Api.signIn(user);
        String userId = Api.getSignedIn("/me", tokens.accessToken()).path("userId");
        String newEmail = Api.uniqueEmail("change-delete-new");
        Api.changeEmail(tokens.accessToken(), newEmail, user.get("password")).then().statusCode(202);
        String token = Mailbox.latestEmailChangeToken(newEmail);
        assertEquals(1, changeTokensOf(userId).size());

        Api.deleteAccount(tokens.accessToken(), user.get("password")).then().statusCode(204);

        List<Map<String, AttributeValue>> left = Table.items(dynamo).stream()
                .filter(item -> item.toString().contains(userId) || item.toString().contains(newEmail)).toList();
        assertTrue(left.isEmpty(), "items still holding the user's id or the pending address: " + left);
        refused(Api.confirmEmailChange(token));
        Api.signup(newEmail, Api.newPassword(), "Free Again").then().statusCode(201);
    }

    private List<Map<String, AttributeValue>> changeTokensOf(String userId) {
        return Table.itemsWithPrefix(dynamo, "EMAILCHANGE#").stream()
                .filter(item -> userId.equals(item.get("ownerId").s())).toList();
    }

    private static void refused(Response response) {
        response.then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ecommerce-auth:problem:invalid-email-change-token"))
                .body("title", equalTo("Invalid email-change link"));
    }

    /** Runs the calls at the same moment, each on its own thread; their results in the calls' order. */
    @SafeVarargs
    private static List<Integer> concurrently(Callable<Integer>... calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.length);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (Callable<Integer> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
