package com.example.shop.auth.account;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Mailbox;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With auth.login.require-verified-email=true, an unverified account cannot log in, and is told so only with the right password. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
@TestProfile(RequiredVerificationTest.Required.class)
class RequiredVerificationTest {

    public static class Required implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.login.require-verified-email", "true");
        }
    }

    @Test
    void onlyTheRightPasswordLearnsThatTheEmailIsUnverifiedAndGetsAFreshLink() {
        var user = Api.existingUser("required");
        String email = user.get("email");
        Api.login(email, Api.newPassword()).then().statusCode(401);
        Api.login(email, user.get("password")).then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ecommerce-auth:problem:email-not-verified"));
        assertEquals(2, Mailbox.withSubject(email, "Confirm your email address").size(), "signup's and a fresh one");

        Api.confirmVerification(Mailbox.latestVerificationToken(email)).then().statusCode(204);
        Api.signIn(user);
    }
}
