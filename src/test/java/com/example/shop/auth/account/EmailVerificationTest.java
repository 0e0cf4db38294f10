package com.example.shop.auth.account;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

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

/** Verified emails: the link sent at signup, its single use and expiry, and resending without enumeration. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class EmailVerificationTest {

    @Inject
    TestClock clock;

    @Inject
    DynamoDbClient dynamo;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void theLinkFromTheSignupEmailVerifiesTheAddress() throws Exception {
        var user = Api.existingUser("verify");
        String email = user.get("email");
        var mail = Mailbox.withSubject(email, "Confirm your email address").get(0);
        assertTrue(mail.body().contains("https://shop.example.com/verify-email?token="), mail.body());
        String token = Mailbox.latestVerificationToken(email);
        assertTrue(Table.itemsWithPrefix(dynamo, "VERIFY#").stream().noneMatch(i -> i.toString().contains(token)),
                "only the hash of the token is stored");

        Api.confirmVerification(token).then().statusCode(204);

        Tokens tokens = Api.signIn(user);
        Api.getSignedIn("/me", tokens.accessToken()).then().body("emailVerified", equalTo(true));
        assertEquals(Boolean.TRUE, Api.claims(tokens.accessToken()).getClaimValue("email_verified"));
        String userId = Table.usersWithEmail(dynamo, email).get(0).get("userId").s();
        assertFalse(Table.item(dynamo, userId).orElseThrow().containsKey("resetTokenExpiry"));
    }

    @Test
    void aUsedExpiredReplacedOrForgedTokenIsRefused() {
        var user = Api.existingUser("verify-bad");
        String email = user.get("email");
        String first = Mailbox.latestVerificationToken(email);
        Api.requestVerification(email).then().statusCode(202);
        String second = Mailbox.latestVerificationToken(email);
        refused(Api.confirmVerification(first)); // replaced by the newer link

        clock.advance(Duration.ofHours(24).plusSeconds(1));
        refused(Api.confirmVerification(second)); // expired, though its item still exists
        clock.reset();
        Api.requestVerification(email).then().statusCode(202);
        String third = Mailbox.latestVerificationToken(email);
        Api.confirmVerification(third).then().statusCode(204);
        refused(Api.confirmVerification(third)); // used
        refused(Api.confirmVerification("A".repeat(43)));
        refused(Api.confirmVerification("not a token!"));
        Api.post("/email-verification/confirm", java.util.Map.of()).then().statusCode(400);
    }

    @Test
    void twoRacingConfirmsVerifyOnce() throws Exception {
        var user = Api.existingUser("verify-race");
        String token = Mailbox.latestVerificationToken(user.get("email"));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> Api.confirmVerification(token).statusCode());
            var b = pool.submit(() -> Api.confirmVerification(token).statusCode());
            assertEquals(java.util.Set.of(204, 400), java.util.Set.of(a.get(), b.get()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resendingAnswersTheSameForUnknownVerifiedAndUnverifiedEmails() {
        var unverified = Api.existingUser("resend-unverified");
        var verified = Api.existingUser("resend-verified");
        Api.confirmVerification(Mailbox.latestVerificationToken(verified.get("email"))).then().statusCode(204);

        Response forUnknown = Api.requestVerification(Api.uniqueEmail("resend-nobody"));
        Response forVerified = Api.requestVerification(verified.get("email"));
        Response forUnverified = Api.requestVerification(unverified.get("email"));
        for (Response response : new Response[] { forUnknown, forVerified, forUnverified }) {
            response.then().statusCode(202);
            assertEquals(forUnknown.asString(), response.asString());
        }
        assertEquals(2, Mailbox.withSubject(unverified.get("email"), "Confirm your email address").size());
        assertEquals(1, Mailbox.withSubject(verified.get("email"), "Confirm your email address").size());
        Api.requestVerification("not-an-email").then().statusCode(400).body("errors[0].field", equalTo("email"));
    }

    private static void refused(Response response) {
        response.then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid verification link"));
    }
}
