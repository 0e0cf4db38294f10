package com.example.shop.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Runs after every other suite and looks for each password and token they sent in the application log. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
@Order(Integer.MAX_VALUE)
class LogsHoldNoSecretsTest {

    private static final Path LOG = Path.of("target/quarkus-test.log");

    @Test
    void noTestPasswordOrTokenAppearsInTheLogs() throws Exception {
        // Drive every route once more with a known secret, so this test alone also covers them all.
        var user = Api.existingUser("logs");
        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
        Api.login(user.get("email"), Api.newPassword()).then().statusCode(401);
        Api.requestReset(user.get("email")).then().statusCode(202);
        Api.confirmReset(Mailbox.latestResetToken(user.get("email")), Api.newPassword()).then().statusCode(204);

        List<String> secrets = TestSecrets.all();
        assertTrue(secrets.size() >= 10, "the suites remembered the secrets they sent");
        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        assertTrue(log.contains("ecommerce-auth"), "the log file is the application's log");

        for (String secret : secrets) {
            assertFalse(log.contains(secret), "a secret sent by a test appears in " + LOG);
        }
        assertFalse(log.contains("$2a$"), "no bcrypt hash in the log");
    }
}
