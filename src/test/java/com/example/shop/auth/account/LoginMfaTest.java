package com.example.shop.auth.account;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.Authenticator;
import com.example.shop.auth.testing.Authenticator.Enrolled;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;
import com.example.shop.auth.testing.TestClock;
import com.example.shop.auth.testing.TestSecrets;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** TOTP through the Lambda path: enrolment, the sign-in's second step, recovery codes, turning it off. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class LoginMfaTest {

    private static final String TOKEN_PATTERN = "[A-Za-z0-9_-]{43}";

    @Inject
    TestClock clock;

    @Inject
    DynamoDbClient dynamo;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void enrolmentShowsTheSecretOnceAndTheCodeTurnsItOn() throws Exception {
        var user = Api.existingUser("totp-enrol");
        Api.Tokens session = Api.signIn(user);
        Api.Tokens other = Api.signIn(user);
        assertEquals(List.of("pwd"), Api.claims(session.accessToken()).getStringListClaimValue("amr"));

        Api.getSignedIn("/me", session.accessToken()).then().statusCode(200)
                .body("mfa.totp", equalTo(false)).body("mfa.passkeys", equalTo(0));
        Authenticator.startEnrolment(session.accessToken(), Api.newPassword()).then().statusCode(403);
        Response started = Authenticator.startEnrolment(session.accessToken(), user.get("password"));
        started.then().statusCode(200).header("Cache-Control", "no-store")
                .body("secret", matchesPattern("[A-Z2-7]{32}"))
                .body("otpauthUri", matchesPattern("otpauth://totp/Shop:.+%40shop-test\\.example\\.com\\?secret=[A-Z2-7]{32}"
                        + "&issuer=Shop&algorithm=SHA1&digits=6&period=30"));
        String secret = started.path("secret");
        assertTrue(started.<String>path("otpauthUri").contains("secret=" + secret));

        // pending: not required yet
        Api.signIn(user);
        Api.getSignedIn("/me", session.accessToken()).then().body("mfa.totp", equalTo(false));

        String wrong = otherCodeThan(Authenticator.code(secret, clock.instant()));
        confirm(session.accessToken(), wrong).then().statusCode(403).contentType("application/problem+json");
        Response confirmed = confirm(session.accessToken(), Authenticator.code(secret, clock.instant()));
        confirmed.then().statusCode(200).header("Cache-Control", "no-store").body("recoveryCodes", hasSize(10));
        confirmed.<List<String>>path("recoveryCodes").forEach(TestSecrets::remember);

        Response me = Api.getSignedIn("/me", session.accessToken());
        me.then().statusCode(200).body("mfa.totp", equalTo(true)).body("mfa.passkeys", equalTo(0));
        assertFalse(me.asString().contains(secret), "the secret is never shown again");
        Api.getSignedIn("/me", other.accessToken()).then().statusCode(401); // every other session ended
        Api.expectRefused(Api.refresh(other.refreshToken()));
        Api.refresh(session.refreshToken()).then().statusCode(200);

        Authenticator.startEnrolment(session.accessToken(), user.get("password")).then().statusCode(409);
        String stored = Table.usersWithEmail(dynamo, user.get("email")).get(0).toString();
        assertFalse(stored.contains(secret), "the table holds the secret encrypted only");
    }

    @Test
    void aSignInWithTotpOnWaitsForTheCode() throws Exception {
        Enrolled enrolled = Authenticator.enrolledUser("totp-login", clock);
        clock.advance(Duration.ofSeconds(30)); // the enrolment used the current step's code

        Response first = Api.login(enrolled.user().get("email"), enrolled.user().get("password"));
        first.then().statusCode(200).header("Cache-Control", "no-store")
                .body("mfaRequired", equalTo(true))
                .body("mfaToken", matchesPattern(TOKEN_PATTERN))
                .body("mfaExpiresIn", equalTo(300))
                .body("accessToken", nullValue()).body("refreshToken", nullValue()).body("deviceToken", nullValue());
        String mfaToken = TestSecrets.remember(first.path("mfaToken"));

        String code = Authenticator.code(enrolled.secret(), clock.instant());
        Response done = secondStep(mfaToken, code, null);
        done.then().statusCode(200).header("Cache-Control", "no-store")
                .body("tokenType", equalTo("Bearer")).body("accessToken", notNullValue())
                .body("refreshToken", notNullValue()).body("deviceToken", notNullValue());
        Api.Tokens tokens = Api.Tokens.of(done);
        TestSecrets.remember(done.path("deviceToken"));
        assertEquals(List.of("pwd", "otp", "mfa"), Api.claims(tokens.accessToken()).getStringListClaimValue("amr"));
        Api.Tokens refreshed = Api.Tokens.of(Api.refresh(tokens.refreshToken()).then().statusCode(200).extract().response());
        assertEquals(List.of("pwd", "otp", "mfa"), Api.claims(refreshed.accessToken()).getStringListClaimValue("amr"),
                "a refresh keeps how the session signed in");

        secondStep(mfaToken, code, null).then().statusCode(401); // the mfa token is used up
        String again = TestSecrets.remember(Api.login(enrolled.user().get("email"), enrolled.user().get("password"))
                .then().statusCode(200).extract().path("mfaToken"));
        secondStep(again, code, null).then().statusCode(401)
                .contentType("application/problem+json").body("title", equalTo("Invalid second factor"));
        clock.advance(Duration.ofSeconds(30));
        secondStep(again, Authenticator.code(enrolled.secret(), clock.instant()), null).then().statusCode(200);
    }

    @Test
    void codesOfTheStepsBesideAreAcceptedNotFurther() {
        Enrolled enrolled = Authenticator.enrolledUser("totp-skew", clock);
        clock.advance(Duration.ofSeconds(120));
        String mfaToken = mfaTokenOf(enrolled);
        var now = clock.instant();
        secondStep(mfaToken, Authenticator.code(enrolled.secret(), now.minusSeconds(60)), null).then().statusCode(401);
        secondStep(mfaToken, Authenticator.code(enrolled.secret(), now.minusSeconds(30)), null).then().statusCode(200);
        String next = mfaTokenOf(enrolled);
        secondStep(next, Authenticator.code(enrolled.secret(), now.plusSeconds(60)), null).then().statusCode(401);
        secondStep(next, Authenticator.code(enrolled.secret(), now.plusSeconds(30)), null).then().statusCode(200);
    }

    @Test
    void fiveWrongCodesEndTheSignInAndCountAsOneFailedLogin() {
        Enrolled enrolled = Authenticator.enrolledUser("totp-wrong", clock);
        clock.advance(Duration.ofSeconds(30));
        String mfaToken = mfaTokenOf(enrolled);
        String right = Authenticator.code(enrolled.secret(), clock.instant());
        for (int i = 0; i < 5; i++) {
            secondStep(mfaToken, otherCodeThan(right), null).then().statusCode(401);
        }
        secondStep(mfaToken, right, null).then().statusCode(401);
        assertEquals("1", Table.usersWithEmail(dynamo, enrolled.user().get("email")).get(0).get("failedLogins").n());

        secondStep(mfaToken, null, enrolled.recoveryCodes().get(0)).then().statusCode(401);
        secondStep("not-a-token", right, null).then().statusCode(401);
        secondStep(mfaTokenOf(enrolled), right, "ABCD-EFGH-IJKL-MNOP").then().statusCode(400);
        secondStep(mfaTokenOf(enrolled), null, null).then().statusCode(400);
    }

    @Test
    void malformedCodesAre400sWhateverTheAccountsState() {
        Enrolled enrolled = Authenticator.enrolledUser("totp-malformed", clock);
        String mfaToken = mfaTokenOf(enrolled);
        for (int i = 0; i < 5; i++) { // the account is locked now: a well-formed wrong code would be a 401, these not
            Api.login(enrolled.user().get("email"), Api.newPassword()).then().statusCode(401);
        }
        secondStep(mfaToken, "12345", null).then().statusCode(400).body("errors[0].field", equalTo("code"));
        secondStep(mfaToken, "", null).then().statusCode(400);
        secondStep(mfaToken, null, "").then().statusCode(400).body("errors[0].field", equalTo("recoveryCode"));
        Api.signedIn("DELETE", "/me/mfa/totp", enrolled.accessToken(),
                Map.of("password", enrolled.user().get("password"), "code", "000000", "recoveryCode", ""))
                .then().statusCode(400);
    }

    @Test
    void aRecoveryCodeWorksOnceAndRegeneratingReplacesThem() {
        Enrolled enrolled = Authenticator.enrolledUser("totp-recovery", clock);
        String recovery = enrolled.recoveryCodes().get(3);
        secondStep(mfaTokenOf(enrolled), null, recovery.toLowerCase()).then().statusCode(200);
        secondStep(mfaTokenOf(enrolled), null, recovery).then().statusCode(401);

        clock.advance(Duration.ofSeconds(30));
        Response regenerated = Api.signedIn("POST", "/me/mfa/recovery-codes", enrolled.accessToken(),
                Map.of("password", enrolled.user().get("password"),
                        "code", Authenticator.code(enrolled.secret(), clock.instant())));
        regenerated.then().statusCode(200).header("Cache-Control", "no-store").body("recoveryCodes", hasSize(10));
        List<String> fresh = regenerated.path("recoveryCodes");
        fresh.forEach(TestSecrets::remember);
        secondStep(mfaTokenOf(enrolled), null, enrolled.recoveryCodes().get(4)).then().statusCode(401);
        secondStep(mfaTokenOf(enrolled), null, fresh.get(0)).then().statusCode(200);

        Api.signedIn("POST", "/me/mfa/recovery-codes", enrolled.accessToken(),
                Map.of("password", enrolled.user().get("password"), "code", "000000")).then().statusCode(403);
    }

    @Test
    void turningTotpOffWithACodeOrARecoveryCode() throws Exception {
        Enrolled withCode = Authenticator.enrolledUser("totp-off-code", clock);
        Api.Tokens other = Api.Tokens.of(secondStep(mfaTokenOf(withCode), null, withCode.recoveryCodes().get(0))
                .then().statusCode(200).extract().response());
        clock.advance(Duration.ofSeconds(30));
        String code = Authenticator.code(withCode.secret(), clock.instant());
        removal(withCode, Api.newPassword(), code, null).then().statusCode(403);
        removal(withCode, withCode.user().get("password"), otherCodeThan(code), null).then().statusCode(403);
        removal(withCode, withCode.user().get("password"), code, null).then().statusCode(204);
        Api.getSignedIn("/me", withCode.accessToken()).then().statusCode(200).body("mfa.totp", equalTo(false));
        Api.getSignedIn("/me", other.accessToken()).then().statusCode(401); // the other sessions ended
        Api.login(withCode.user().get("email"), withCode.user().get("password")).then().statusCode(200)
                .body("accessToken", notNullValue()).body("mfaRequired", nullValue());
        removal(withCode, withCode.user().get("password"), code, null).then().statusCode(409);

        Enrolled withRecovery = Authenticator.enrolledUser("totp-off-recovery", clock);
        removal(withRecovery, withRecovery.user().get("password"), null, withRecovery.recoveryCodes().get(9))
                .then().statusCode(204);
        Map<String, ?> item = Table.usersWithEmail(dynamo, withRecovery.user().get("email")).get(0);
        for (String gone : List.of("totpSecret", "totpPendingSecret", "totpLastStep", "recoveryCodes")) {
            assertFalse(item.containsKey(gone), gone + " removed");
        }
    }

    @Test
    void aPasswordResetKeepsTotpOn() {
        Enrolled enrolled = Authenticator.enrolledUser("totp-reset", clock);
        String email = enrolled.user().get("email");
        Api.requestReset(email).then().statusCode(202);
        String newPassword = Api.newPassword();
        Api.confirmReset(Mailbox.latestResetToken(email), newPassword).then().statusCode(204);
        Api.login(email, newPassword).then().statusCode(200).body("mfaRequired", equalTo(true))
                .body("accessToken", nullValue());
    }

    @Test
    void aPasswordResetEndsASignInWaitingForItsCode() {
        Enrolled enrolled = Authenticator.enrolledUser("totp-reset-pending", clock);
        clock.advance(Duration.ofSeconds(30));
        String email = enrolled.user().get("email");
        String mfaToken = mfaTokenOf(enrolled); // the old password, then the owner resets it
        Api.requestReset(email).then().statusCode(202);
        Api.confirmReset(Mailbox.latestResetToken(email), Api.newPassword()).then().statusCode(204);
        secondStep(mfaToken, Authenticator.code(enrolled.secret(), clock.instant()), null).then().statusCode(401);
    }

    @Test
    void aDisabledOrLockedAccountCannotFinishTheSignIn() {
        Enrolled enrolled = Authenticator.enrolledUser("totp-locked", clock);
        clock.advance(Duration.ofSeconds(30));
        String mfaToken = mfaTokenOf(enrolled);
        for (int i = 0; i < 5; i++) {
            Api.login(enrolled.user().get("email"), Api.newPassword()).then().statusCode(401);
        }
        secondStep(mfaToken, Authenticator.code(enrolled.secret(), clock.instant()), null).then().statusCode(401);
    }

    private String mfaTokenOf(Enrolled enrolled) {
        return TestSecrets.remember(Api.login(enrolled.user().get("email"), enrolled.user().get("password"))
                .then().statusCode(200).body("mfaRequired", equalTo(true)).extract().path("mfaToken"));
    }

    private static Response confirm(String accessToken, String code) {
        return Api.signedIn("POST", "/me/mfa/totp/confirm", accessToken, Map.of("code", code));
    }

    private static Response removal(Enrolled enrolled, String password, String code, String recoveryCode) {
        Map<String, String> body = new java.util.HashMap<>();
        body.put("password", password);
        if (code != null) {
            body.put("code", code);
        }
        if (recoveryCode != null) {
            body.put("recoveryCode", recoveryCode);
        }
        return Api.signedIn("DELETE", "/me/mfa/totp", enrolled.accessToken(), body);
    }

    static Response secondStep(String mfaToken, String code, String recoveryCode) {
        Map<String, String> body = new java.util.HashMap<>();
        body.put("mfaToken", mfaToken);
        if (code != null) {
            body.put("code", code);
        }
        if (recoveryCode != null) {
            body.put("recoveryCode", recoveryCode);
        }
        return Api.post("/login/mfa", body);
    }

    private static String otherCodeThan(String code) {
        String other = String.format("%06d", (Integer.parseInt(code) + 500_000) % 1_000_000);
        assertNotEquals(code, other);
        return other;
    }
}
