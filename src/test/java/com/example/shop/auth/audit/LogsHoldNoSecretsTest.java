package com.example.shop.auth.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.example.shop.auth.token.RandomTokens;
import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.Authenticator;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.Table;
import com.example.shop.auth.testing.TestClock;
import com.example.shop.auth.testing.TestSecrets;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Runs after every other suite (its own Surefire execution, see pom.xml): looks for each password and token they
 * sent in the application log (JSON lines), and checks the audit trail has one line per auth event with the
 * request's context and no full email, and that every admin action names its operator.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class LogsHoldNoSecretsTest {

    private static final Path LOG = Path.of("target/quarkus-test.log");

    @Inject
    DynamoDbClient dynamo;

    @Inject
    TestClock clock;

    @Test
    void noSecretInTheLogsAndOneAuditLinePerEvent() throws Exception {
        var user = Api.existingUser("logs");
        String email = user.get("email");
        String userId = Table.usersWithEmail(dynamo, email).get(0).get("userId").s();
        Api.Tokens first = Api.signIn(user);
        Api.Tokens second = Api.Tokens.of(Api.refresh(first.refreshToken()).then().statusCode(200).extract().response());
        Api.logout(second.refreshToken()).then().statusCode(204);
        Api.Tokens other = Api.signIn(user);
        Api.Tokens rotated = Api.Tokens.of(Api.refresh(other.refreshToken()).then().statusCode(200).extract().response());
        clock.advance(java.time.Duration.ofSeconds(11));
        Api.refresh(other.refreshToken()).then().statusCode(401); // reuse: ends the session
        Api.refresh(rotated.refreshToken()).then().statusCode(401);
        clock.reset();
        for (int i = 0; i < 5; i++) {
            Api.login(email, Api.newPassword()).then().statusCode(401);
        }
        Api.login(email, user.get("password")).then().statusCode(429);
        Api.requestReset(email).then().statusCode(202);
        String afterReset = Api.newPassword();
        Api.confirmReset(Mailbox.latestResetToken(email), afterReset).then().statusCode(204);
        Api.confirmVerification(TestSecrets.remember(Mailbox.latestVerificationToken(email))).then().statusCode(204);
        Api.Tokens signedIn = Api.signIn(Map.of("email", email, "password", afterReset));
        Api.signedIn("PATCH", "/me", signedIn.accessToken(), Map.of("name", "Renamed")).then().statusCode(200);
        String changed = Api.newPassword();
        Api.changePassword(signedIn.accessToken(), afterReset, changed).then().statusCode(204);
        String newEmail = Api.uniqueEmail("logs-new");
        Api.changeEmail(signedIn.accessToken(), newEmail, changed).then().statusCode(202);
        Api.confirmEmailChange(Mailbox.latestEmailChangeToken(newEmail)).then().statusCode(204);
        Api.deleteAccount(signedIn.accessToken(), changed).then().statusCode(204);

        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        List<String> secrets = TestSecrets.all();
        assertTrue(secrets.size() >= 10, "the suites remembered the secrets they sent");
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "a secret sent by a test appears in " + LOG);
            assertFalse(log.contains(RandomTokens.hash(secret)), "the hash of a secret appears in " + LOG);
        }
        assertFalse(log.contains("$2a$"), "no bcrypt hash in the log");
        assertFalse(log.contains(email), "no full email in the log");
        assertFalse(log.contains(newEmail), "no full email in the log, a changed one neither");

        List<JsonNode> audit = auditLinesOf(userId);
        Set<String> events = audit.stream().map(l -> l.path("mdc").path("authEvent").asText()).collect(Collectors.toSet());
        assertEquals(Set.of("signup", "login_success", "login_failure", "lockout", "login_locked", "reset_requested",
                "reset_completed", "session_ended", "refresh_token_reuse", "verification_sent", "email_verified",
                "profile_updated", "password_changed", "email_change_requested", "email_changed", "account_deleted"),
                events);
        Set<String> endReasons = audit.stream().filter(l -> l.path("mdc").path("authEvent").asText().equals("session_ended"))
                .map(l -> l.path("mdc").path("reason").asText()).collect(Collectors.toSet());
        assertEquals(Set.of("logout", "reuse"), endReasons);
        for (JsonNode line : audit) {
            assertFalse(line.path("mdc").path("requestId").asText().isEmpty(), "request id on " + line);
            assertFalse(line.path("mdc").path("sourceIp").asText().isEmpty(), "source IP on " + line);
        }
        assertTrue(audit.stream().anyMatch(l -> l.path("mdc").path("emailMasked").asText()
                .equals(email.charAt(0) + "***@shop-test.example.com")));
    }

    @Test
    void noTotpSecretRecoveryCodeOrMfaTokenInTheLogs() throws Exception {
        Authenticator.Enrolled enrolled = Authenticator.enrolledUser("logs-totp", clock);
        String userId = Table.usersWithEmail(dynamo, enrolled.user().get("email")).get(0).get("userId").s();
        try {
            clock.advance(java.time.Duration.ofSeconds(30));
            String mfaToken = TestSecrets.remember(Api.login(enrolled.user().get("email"), enrolled.user().get("password"))
                    .then().statusCode(200).extract().path("mfaToken"));
            String code = Authenticator.code(enrolled.secret(), clock.instant());
            String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
            Api.post("/login/mfa", Map.of("mfaToken", mfaToken, "code", wrong)).then().statusCode(401);
            Api.post("/login/mfa", Map.of("mfaToken", mfaToken, "code", code)).then().statusCode(200);
            String other = TestSecrets.remember(Api.login(enrolled.user().get("email"), enrolled.user().get("password"))
                    .then().statusCode(200).extract().path("mfaToken"));
            Api.post("/login/mfa", Map.of("mfaToken", other, "recoveryCode", enrolled.recoveryCodes().get(0)))
                    .then().statusCode(200);
            clock.advance(java.time.Duration.ofSeconds(30));
            List<String> fresh = Api.signedIn("POST", "/me/mfa/recovery-codes", enrolled.accessToken(),
                    Map.of("password", enrolled.user().get("password"),
                            "code", Authenticator.code(enrolled.secret(), clock.instant())))
                    .then().statusCode(200).extract().path("recoveryCodes");
            fresh.forEach(TestSecrets::remember);
            Api.signedIn("DELETE", "/me/mfa/totp", enrolled.accessToken(),
                    Map.of("password", enrolled.user().get("password"), "recoveryCode", fresh.get(0)))
                    .then().statusCode(204);
        } finally {
            clock.reset();
        }

        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        List<String> shown = new ArrayList<>(enrolled.recoveryCodes());
        shown.add(enrolled.secret());
        for (String secret : shown) {
            assertFalse(log.contains(secret), "a TOTP secret or recovery code appears in " + LOG);
            assertFalse(log.contains(secret.replace("-", "")), "a recovery code appears in " + LOG);
            assertFalse(log.contains(RandomTokens.hash(secret)), "a recovery code's hash appears in " + LOG);
        }
        Set<String> events = auditLinesOf(userId).stream().map(l -> l.path("mdc").path("authEvent").asText())
                .collect(Collectors.toSet());
        assertTrue(events.containsAll(Set.of("totp_enrolment_started", "totp_enrolled", "mfa_required", "mfa_failure",
                "mfa_success", "recovery_code_used", "recovery_codes_regenerated", "totp_removed")), events.toString());
    }

    @Test
    void everyAdminActionNamesItsOperatorAndTarget() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> adminLines = new ArrayList<>();
        for (String line : jsonLines()) {
            JsonNode node = json.readTree(line);
            if ("admin_action".equals(node.path("mdc").path("authEvent").asText())) {
                adminLines.add(node);
            }
        }
        assertFalse(adminLines.isEmpty(), "the admin suites ran before this check");
        Set<String> actions = new java.util.TreeSet<>();
        for (JsonNode line : adminLines) {
            JsonNode mdc = line.path("mdc");
            // an IAM user or an assumed role, as API Gateway names the SigV4 caller
            assertTrue(mdc.path("adminCaller").asText().matches("arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:.+"),
                    "operator ARN on " + line);
            assertFalse(mdc.path("requestId").asText().isEmpty(), "request id on " + line);
            actions.add(mdc.path("adminAction").asText());
            if (!mdc.path("adminAction").asText().equals("list") && !mdc.path("adminAction").asText().equals("find_by_email")) {
                assertFalse(mdc.path("userId").asText().isEmpty(), "target user on " + line);
            }
            assertFalse(mdc.path("emailMasked").asText().matches("[^*]+@.*"), "emails masked on " + line);
        }
        assertTrue(actions.containsAll(Set.of("find_by_email", "get", "list", "disable", "enable", "sign_out", "unlock",
                "password_reset", "remove_mfa", "delete_passkey", "delete")), "every action audited: " + actions);
    }

    /**
     * The log's JSON lines. Each Quarkus start's lambda dev service writes a line or two in the plain format before
     * the JSON file handler is set up; the secret checks above read those too, as part of the whole file.
     */
    private static List<String> jsonLines() throws java.io.IOException {
        return Files.readAllLines(LOG, StandardCharsets.UTF_8).stream().filter(line -> line.startsWith("{")).toList();
    }

    private static List<JsonNode> auditLinesOf(String userId) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : jsonLines()) {
            JsonNode node = json.readTree(line);
            if ("com.example.shop.auth.audit".equals(node.path("loggerName").asText())
                    && userId.equals(node.path("mdc").path("userId").asText())) {
                lines.add(node);
            }
        }
        return lines;
    }
}
