package com.example.shop.auth.account;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.TestClock;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class LoginFailuresTest {

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void unknownEmailAndWrongPasswordLookExactlyAlike() {
        var user = Api.existingUser("alike");
        Response wrongPassword = Api.login(user.get("email"), Api.newPassword());
        Response unknownEmail = Api.login(Api.uniqueEmail("nobody"), Api.newPassword());

        assertEquals(401, wrongPassword.statusCode());
        assertEquals(wrongPassword.statusCode(), unknownEmail.statusCode());
        assertEquals(wrongPassword.contentType(), unknownEmail.contentType());
        assertEquals(wrongPassword.asString(), unknownEmail.asString());
        assertTrue(wrongPassword.contentType().startsWith("application/problem+json"));
    }

    @Test
    void fiveFailuresLockTheAccountUntilTheLockEnds() {
        var user = Api.existingUser("lock");
        String email = user.get("email");
        String password = user.get("password");

        for (int i = 1; i <= 4; i++) {
            Api.login(email, Api.newPassword()).then().statusCode(401);
        }
        Api.login(email, password).then().statusCode(200); // a success clears the count...
        for (int i = 1; i <= 5; i++) {
            Api.login(email, Api.newPassword()).then().statusCode(401); // ...so five more are needed
        }

        Response locked = Api.login(email, password);
        locked.then().statusCode(429)
                .contentType("application/problem+json")
                .body("status", equalTo(429));
        assertEquals("1", locked.header("Retry-After"), "the 5th failure locks for 2^0 s");

        clock.advance(Duration.ofSeconds(2));
        Api.login(email, password).then().statusCode(200);
    }

    @Test
    void theLockGrowsWithEachFailureUpToFifteenMinutesAndIsNotExtendedWhileLocked() {
        var user = Api.existingUser("grow");
        String email = user.get("email");
        for (int i = 1; i <= 5; i++) {
            Api.login(email, Api.newPassword()).then().statusCode(401);
        }
        long expected = 1;
        for (int failure = 6; failure <= 16; failure++) {
            clock.advance(Duration.ofSeconds(expected + 1)); // past the current lock
            Api.login(email, Api.newPassword()).then().statusCode(401);
            expected = Math.min(1L << (failure - 5), 900);
            Response locked = Api.login(email, user.get("password"));
            locked.then().statusCode(429);
            assertEquals(expected, Long.parseLong(locked.header("Retry-After")), "after failure " + failure);
        }
        assertEquals(900, expected, "capped at 15 minutes");

        // attempts while locked are refused without touching the lock
        clock.advance(Duration.ofSeconds(600));
        Response stillLocked = Api.login(email, Api.newPassword());
        stillLocked.then().statusCode(429);
        assertEquals(300, Long.parseLong(stillLocked.header("Retry-After")));
        clock.advance(Duration.ofSeconds(301));
        Api.login(email, user.get("password")).then().statusCode(200);
    }
}
