package com.example.shop.auth.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.commons.codec.binary.Base32;

import com.example.shop.auth.mfa.Totp;

import io.restassured.response.Response;

/** What an authenticator app does with the secret it was shown: makes the code of the moment. */
public final class Authenticator {

    private Authenticator() {
    }

    /** The 6-digit code of {@code base32Secret} at {@code at}. */
    public static String code(String base32Secret, Instant at) {
        return Totp.code(new Base32().decode(base32Secret), Totp.stepAt(at), Totp.DIGITS);
    }

    /** A signed-in user and what its TOTP enrolment showed once. */
    public record Enrolled(Map<String, String> user, String accessToken, String secret, List<String> recoveryCodes) {
    }

    /** Starts an enrolment (password) and returns its response; the secret is remembered for the log test. */
    public static Response startEnrolment(String accessToken, String password) {
        Response response = Api.signedIn("POST", "/me/mfa/totp", accessToken, Map.of("password", password));
        if (response.statusCode() == 200) {
            TestSecrets.remember(response.path("secret"));
        }
        return response;
    }

    /** A new user with TOTP on, confirmed at the clock's current step, signed in with the session it enrolled from. */
    public static Enrolled enrolledUser(String tag, TestClock clock) {
        Map<String, String> user = Api.existingUser(tag);
        String accessToken = Api.signIn(user).accessToken();
        String secret = startEnrolment(accessToken, user.get("password")).then().statusCode(200)
                .extract().path("secret");
        List<String> codes = Api.signedIn("POST", "/me/mfa/totp/confirm", accessToken,
                Map.of("code", code(secret, clock.instant()))).then().statusCode(200).extract().path("recoveryCodes");
        codes.forEach(TestSecrets::remember);
        return new Enrolled(user, accessToken, secret, codes);
    }
}
