package com.example.shop.auth.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.FaultProxy.Mode;
import com.example.shop.auth.testing.LambdaEvents;
import com.example.shop.auth.testing.LambdaEvents.Answer;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.TestClock;
import com.example.shop.auth.testing.TestSecrets;
import com.example.shop.auth.testing.Windows;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Budgets per source IP (API Gateway's requestContext.http.sourceIp): failed logins, and requests that mail an address
 * the caller types. Past one: 429 with Retry-After (the window's end), the same for known and unknown emails. Each
 * test sends API Gateway events from addresses of its own.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class SourceIpBudgetsTest {

    /** The defaults: 20 requests that mail an address per IP and hour; 100 failed logins per IP and 15 minutes. */
    private static final int MAIL_REQUESTS = 20;
    private static final Duration MAIL_WINDOW = Duration.ofHours(1);
    private static final int LOGIN_FAILURES = 100;
    private static final Duration LOGIN_WINDOW = Duration.ofMinutes(15);

    @Inject
    TestClock clock;

    @AfterEach
    void heal() {
        clock.reset();
        MotoServer.PROXIES.values().forEach(proxy -> proxy.setMode(Mode.PASS));
    }

    @Test
    void pastTwentyMailRequestsAnIpGets429WithRetryAfterForKnownAndUnknownEmailsAlike() {
        Windows.startFresh(clock, MAIL_WINDOW);
        String known = Api.existingUser("ip-mail").get("email");
        String ip = LambdaEvents.freshIp(false);

        for (int i = 0; i < MAIL_REQUESTS; i++) {
            String email = i % 2 == 0 ? known : Api.uniqueEmail("ip-mail-nobody");
            assertEquals(202, reset(email, ip).status(), "request " + (i + 1));
        }
        int sent = Mailbox.withSubject(known, "Reset your password").size();

        Answer forKnown = reset(known, ip);
        Answer forUnknown = reset(Api.uniqueEmail("ip-mail-nobody"), ip);
        for (Answer refused : new Answer[] { forKnown, forUnknown }) {
            assertEquals(429, refused.status());
            assertEquals("application/problem+json", refused.header("Content-Type"));
            assertEquals("urn:ecommerce-auth:problem:too-many-requests", refused.json().getString("type"));
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            long windowEnd = secondsToWindowEnd(MAIL_WINDOW.toSeconds());
            assertTrue(retryAfter >= 1 && Math.abs(retryAfter - windowEnd) <= 2,
                    "Retry-After " + retryAfter + " is the time to the window's end, " + windowEnd);
        }
        assertEquals(forKnown.body(), forUnknown.body(), "one body for known and unknown emails");
        assertTrue(Math.abs(Long.parseLong(forKnown.header("Retry-After"))
                - Long.parseLong(forUnknown.header("Retry-After"))) <= 1, "the same window's end (a second may pass)");
        assertEquals(sent, Mailbox.withSubject(known, "Reset your password").size(), "a refused request sends nothing");

        Answer resend = LambdaEvents.post("/email-verification", Map.of("email", known), ip);
        assertEquals(429, resend.status(), "verification resends share the budget");

        assertEquals(202, reset(known, LambdaEvents.freshIp(false)).status(), "other addresses are not affected");
        clock.advance(MAIL_WINDOW);
        assertEquals(202, reset(known, ip).status(), "the next window has a new budget");
    }

    @Test
    void signupIsNoMailRequest() {
        Windows.startFresh(clock, MAIL_WINDOW);
        String ip = LambdaEvents.freshIp(true);
        for (int i = 0; i < MAIL_REQUESTS; i++) {
            assertEquals(202, reset(Api.uniqueEmail("ip-signup-nobody"), ip).status());
        }
        Answer signup = LambdaEvents.post("/signup", Map.of("email", Api.uniqueEmail("ip-signup"), "password",
                Api.newPassword(), "name", "Signup"), ip);
        assertEquals(201, signup.status(), "signup mails an address once, and is not counted");
        assertEquals(429, reset(Api.uniqueEmail("ip-signup-nobody"), ip).status());
    }

    @Test
    void pastAHundredFailedLoginsAnIpGets429ButTheOwnersDeviceStillLogsIn() {
        int budget = LOGIN_FAILURES;
        Windows.startFresh(clock, LOGIN_WINDOW);
        var user = Api.existingUser("ip-stuffing");
        String deviceToken = TestSecrets.remember(Api.login(user.get("email"), user.get("password")).then()
                .statusCode(200).extract().path("deviceToken"));
        String ip = LambdaEvents.freshIp(false);

        for (int i = 0; i < budget; i++) {
            Answer failed = login(Api.uniqueEmail("ip-stuffing-nobody"), Api.newPassword(), null, ip);
            assertEquals(401, failed.status(), "attempt " + (i + 1));
        }

        Answer unknown = login(Api.uniqueEmail("ip-stuffing-nobody"), Api.newPassword(), null, ip);
        Answer known = login(user.get("email"), user.get("password"), null, ip);
        for (Answer refused : new Answer[] { unknown, known }) {
            assertEquals(429, refused.status());
            assertEquals("urn:ecommerce-auth:problem:too-many-requests", refused.json().getString("type"));
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            long windowEnd = secondsToWindowEnd(LOGIN_WINDOW.toSeconds());
            assertTrue(retryAfter >= 1 && Math.abs(retryAfter - windowEnd) <= 2, "Retry-After " + retryAfter);
        }
        assertEquals(unknown.body(), known.body(), "the same answer for known and unknown emails");

        Answer fromDevice = login(user.get("email"), user.get("password"), deviceToken, ip);
        assertEquals(200, fromDevice.status(), "a device token of the account is not held to the IP's budget");
        TestSecrets.remember(fromDevice.json().getString("deviceToken"));
        TestSecrets.remember(fromDevice.json().getString("accessToken"));
        TestSecrets.remember(fromDevice.json().getString("refreshToken"));

        assertEquals(200, login(user.get("email"), user.get("password"), null, LambdaEvents.freshIp(true)).status(),
                "other addresses are not affected");
        clock.advance(LOGIN_WINDOW);
        assertEquals(200, login(user.get("email"), user.get("password"), null, ip).status(),
                "the next window has a new budget");
    }

    /**
     * The per-IP budgets fail closed: when the IP's counter cannot be written (DynamoDB throttles its key, as under a
     * flood from that address), the request is a 503 with Retry-After, for known and unknown emails alike.
     */
    @Test
    void aCounterThatCannotBeWrittenIsA503ForKnownAndUnknownEmailsAlike() {
        String known = Api.existingUser("ip-throttled").get("email");
        String ip = LambdaEvents.freshIp(false);
        MotoServer.PROXIES.get("dynamodb").throttleWhere("UpdateItem", "RATE#mail-requests-ip#" + ip + "#");

        Answer forKnown = reset(known, ip);
        Answer forUnknown = reset(Api.uniqueEmail("ip-throttled-nobody"), ip);

        assertEquals(503, forKnown.status());
        assertNotNull(forKnown.header("Retry-After"));
        assertEquals(forKnown.body(), forUnknown.body());
        assertEquals(0, Mailbox.withSubject(known, "Reset your password").size());
        assertEquals(202, reset(known, LambdaEvents.freshIp(false)).status(), "other addresses are not affected");
    }

    private static Answer reset(String email, String ip) {
        return LambdaEvents.post("/password-reset", Map.of("email", email), ip);
    }

    private static Answer login(String email, String password, String deviceToken, String ip) {
        return LambdaEvents.post("/login", deviceToken == null ? Map.of("email", email, "password", password)
                : Map.of("email", email, "password", password, "deviceToken", deviceToken), ip);
    }

    private long secondsToWindowEnd(long windowSeconds) {
        long now = clock.instant().getEpochSecond();
        return windowSeconds - Math.floorMod(now, windowSeconds);
    }
}
