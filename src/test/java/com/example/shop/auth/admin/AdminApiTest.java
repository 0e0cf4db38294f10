package com.example.shop.auth.admin;

import static com.example.shop.auth.admin.AdminEvents.asOperator;
import static com.example.shop.auth.admin.AdminEvents.withoutCaller;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Passkeys;
import com.example.shop.auth.testing.SoftwareAuthenticator;
import com.example.shop.auth.testing.Table;
import com.example.shop.auth.testing.LambdaEvents.Answer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Every admin route through the Lambda path: success, unknown user, bad input, and no IAM caller. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class AdminApiTest {

    private static final String UNKNOWN = "00000000-0000-4000-8000-000000000000";

    @Inject
    DynamoDbClient dynamo;

    @Test
    void findByEmailGivesTheSummaryAndNothingSecret() {
        var user = Api.existingUser("admin-find");
        Answer found = asOperator("GET", "/admin/users", "email=" + user.get("email").toUpperCase(), null);
        assertEquals(200, found.status(), found.body());
        JsonPath body = found.json();
        assertEquals(1, body.getList("users").size());
        assertEquals(user.get("email"), body.getString("users[0].email"));
        assertEquals(false, body.getBoolean("users[0].disabled"));
        assertEquals(Map.of("totp", false, "passkeys", 0), body.getMap("users[0].mfa"));
        assertEquals(List.of("createdAt", "disabled", "disabledReason", "email", "emailVerified", "failedLogins",
                "lockedUntil", "mfa", "name", "sessions", "updatedAt", "userId"),
                body.getMap("users[0]").keySet().stream().sorted().toList(), "exactly the summary's fields");
        assertFalse(found.body().contains("$2a$"), "no hash");
        assertFalse(found.body().toLowerCase().contains("version"), "no version number");

        Answer none = asOperator("GET", "/admin/users", "email=nobody-" + UUID.randomUUID() + "@example.com", null);
        assertEquals(200, none.status());
        assertEquals(List.of(), none.json().getList("users"));
        assertEquals(400, asOperator("GET", "/admin/users", "email=not-an-email", null).status());
    }

    @Test
    void getByIdAndTheUsualRefusals() {
        String userId = userIdOf(Api.existingUser("admin-get"));
        Answer got = asOperator("GET", "/admin/users/" + userId);
        assertEquals(200, got.status(), got.body());
        assertEquals(userId, got.json().getString("userId"));
        assertEquals(404, asOperator("GET", "/admin/users/" + UNKNOWN).status());
        assertEquals(400, asOperator("GET", "/admin/users/not-a-uuid").status());
        assertEquals("no-store", got.headers().get("Cache-Control"));
    }

    /** Each route refuses an event with no IAM caller, whatever the rest of it says. */
    @ParameterizedTest
    @CsvSource({
            "GET, /admin/users", "GET, /admin/users/" + UNKNOWN, "POST, /admin/users/" + UNKNOWN + "/disable",
            "POST, /admin/users/" + UNKNOWN + "/enable", "POST, /admin/users/" + UNKNOWN + "/sign-out",
            "POST, /admin/users/" + UNKNOWN + "/unlock", "POST, /admin/users/" + UNKNOWN + "/password-reset",
            "DELETE, /admin/users/" + UNKNOWN + "/mfa", "DELETE, /admin/users/" + UNKNOWN + "/passkeys/abc",
            "DELETE, /admin/users/" + UNKNOWN })
    void withoutAnIamCallerEveryRouteIsForbidden(String method, String path) {
        Answer answer = withoutCaller(method, path, "", method.equals("POST") ? Map.of("reason", "test") : null);
        assertEquals(403, answer.status(), answer.body());
        assertEquals("urn:ecommerce-auth:problem:admin-caller-required", answer.json().getString("type"));
    }

    /** Each action on an unknown user is a 404, and on a malformed id a 400. */
    @ParameterizedTest
    @CsvSource({ "POST, disable", "POST, enable", "POST, sign-out", "POST, unlock", "POST, password-reset",
            "DELETE, mfa", "DELETE, passkeys/abc", "DELETE, ''" })
    void actionsOnUnknownOrMalformedUsers(String method, String action) {
        String suffix = action.isEmpty() ? "" : "/" + action;
        Map<String, String> body = method.equals("POST") ? Map.of("reason", "fraud report 17") : null;
        assertEquals(404, asOperator(method, "/admin/users/" + UNKNOWN + suffix, "", body).status());
        assertEquals(400, asOperator(method, "/admin/users/NOT-A-UUID" + suffix, "", body).status());
    }

    @Test
    void disablingStopsEverySignInAndEnablingRestoresIt() {
        var user = Api.existingUser("admin-disable");
        String userId = userIdOf(user);
        Api.Tokens tokens = Api.signIn(user);
        Api.getSignedIn("/me", tokens.accessToken()).then().statusCode(200);

        assertEquals(400, asOperator("POST", "/admin/users/" + userId + "/disable", "", Map.of("reason", " ")).status());
        assertEquals(400, asOperator("POST", "/admin/users/" + userId + "/disable", "", Map.of()).status());
        assertEquals(204, asOperator("POST", "/admin/users/" + userId + "/disable", "",
                Map.of("reason", "chargeback fraud")).status());

        Api.getSignedIn("/me", tokens.accessToken()).then().statusCode(401);
        Api.refresh(tokens.refreshToken()).then().statusCode(401);
        var rightPassword = Api.login(user.get("email"), user.get("password"));
        assertEquals(403, rightPassword.statusCode());
        assertTrue(rightPassword.jsonPath().getString("type").endsWith("account-disabled"));
        var wrongPassword = Api.login(user.get("email"), Api.newPassword());
        var unknownEmail = Api.login(Api.uniqueEmail("nobody"), Api.newPassword());
        assertEquals(401, wrongPassword.statusCode());
        assertEquals(unknownEmail.asString(), wrongPassword.asString(), "the same body as any wrong password");
        // a reset request answers as always and sends nothing
        int mailsBefore = Mailbox.sentTo(user.get("email")).size();
        Api.requestReset(user.get("email")).then().statusCode(202);
        assertEquals(mailsBefore, Mailbox.sentTo(user.get("email")).size(), "no reset email for a disabled account");
        assertEquals(409, asOperator("POST", "/admin/users/" + userId + "/password-reset").status());

        JsonPath summary = asOperator("GET", "/admin/users/" + userId).json();
        assertTrue(summary.getBoolean("disabled"));
        assertEquals("chargeback fraud", summary.getString("disabledReason"));
        assertEquals(0, summary.getInt("sessions"));

        assertEquals(204, asOperator("POST", "/admin/users/" + userId + "/enable").status());
        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
        assertNull(asOperator("GET", "/admin/users/" + userId).json().getString("disabledReason"));
    }

    @Test
    void signingOutEverywhereEndsEveryTokenOfThatUserOnly() {
        var user = Api.existingUser("admin-signout");
        var bystander = Api.existingUser("admin-bystander");
        Api.Tokens phone = Api.signIn(user);
        Api.Tokens laptop = Api.signIn(user);
        Api.Tokens other = Api.signIn(bystander);

        assertEquals(204, asOperator("POST", "/admin/users/" + userIdOf(user) + "/sign-out").status());

        for (Api.Tokens tokens : List.of(phone, laptop)) {
            Api.getSignedIn("/me", tokens.accessToken()).then().statusCode(401);
            Api.refresh(tokens.refreshToken()).then().statusCode(401);
        }
        Api.getSignedIn("/me", other.accessToken()).then().statusCode(200);
        Api.refresh(other.refreshToken()).then().statusCode(200);
        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
    }

    @Test
    void unlockClearsTheLock() {
        var user = Api.existingUser("admin-unlock");
        for (int i = 0; i < 5; i++) {
            Api.login(user.get("email"), Api.newPassword()).then().statusCode(401);
        }
        Api.login(user.get("email"), user.get("password")).then().statusCode(429);
        String userId = userIdOf(user);
        assertEquals(5, asOperator("GET", "/admin/users/" + userId).json().getInt("failedLogins"));

        assertEquals(204, asOperator("POST", "/admin/users/" + userId + "/unlock").status());

        JsonPath summary = asOperator("GET", "/admin/users/" + userId).json();
        assertEquals(0, summary.getInt("failedLogins"));
        assertNull(summary.getString("lockedUntil"));
        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
    }

    @Test
    void aResetEmailSentByAnOperatorWorks() {
        var user = Api.existingUser("admin-reset");
        assertEquals(202, asOperator("POST", "/admin/users/" + userIdOf(user) + "/password-reset").status());
        String password = Api.newPassword();
        Api.confirmReset(Mailbox.latestResetToken(user.get("email")), password).then().statusCode(204);
        Api.login(user.get("email"), password).then().statusCode(200);
    }

    @Test
    void secondFactorRoutesAnswerForAnExistingUser() {
        String userId = userIdOf(Api.existingUser("admin-mfa"));
        assertEquals(204, asOperator("DELETE", "/admin/users/" + userId + "/mfa").status());
        assertEquals(404, asOperator("DELETE", "/admin/users/" + userId + "/passkeys/some-passkey").status());
    }

    @Test
    void anOperatorDeletesOnePasskey() {
        var user = Api.existingUser("admin-passkey");
        String userId = userIdOf(user);
        Api.Tokens tokens = Api.signIn(user);
        SoftwareAuthenticator kept = Passkeys.registered(tokens.accessToken());
        SoftwareAuthenticator lost = Passkeys.registered(tokens.accessToken());
        assertEquals(2, asOperator("GET", "/admin/users/" + userId).json().getInt("mfa.passkeys"));

        assertEquals(204, asOperator("DELETE", "/admin/users/" + userId + "/passkeys/" + lost.credentialId()).status());
        assertEquals(404, asOperator("DELETE", "/admin/users/" + userId + "/passkeys/" + lost.credentialId()).status());
        Passkeys.signIn(lost).then().statusCode(401);
        Passkeys.signIn(kept).then().statusCode(200);
        assertEquals(1, asOperator("GET", "/admin/users/" + userId).json().getInt("mfa.passkeys"));
        String stranger = userIdOf(Api.existingUser("admin-passkey-other"));
        assertEquals(404, asOperator("DELETE", "/admin/users/" + stranger + "/passkeys/" + kept.credentialId()).status());
    }

    @Test
    void deletingLeavesNothingAndTellsTheCustomer() {
        var user = Api.existingUser("admin-delete");
        String userId = userIdOf(user);
        Api.Tokens tokens = Api.signIn(user);
        SoftwareAuthenticator passkey = Passkeys.registered(tokens.accessToken());

        assertEquals(204, asOperator("DELETE", "/admin/users/" + userId).status());

        assertTrue(Table.items(dynamo).stream().noneMatch(item -> item.toString().contains(userId)),
                "no item holds the user's id");
        Passkeys.signIn(passkey).then().statusCode(401);

        assertEquals(404, asOperator("GET", "/admin/users/" + userId).status());
        Api.getSignedIn("/me", tokens.accessToken()).then().statusCode(401);
        Api.login(user.get("email"), user.get("password")).then().statusCode(401);
        assertTrue(Mailbox.sentTo(user.get("email")).stream().anyMatch(m -> m.subject().toLowerCase().contains("deleted")),
                "the customer is told");
        Api.signup(user.get("email"), Api.newPassword(), "Again").then().statusCode(201);
    }

    @Test
    void findAndListCannotBeMixedAndLimitsAreChecked() {
        assertEquals(400, asOperator("GET", "/admin/users", "email=a@example.com&limit=5", null).status());
        assertEquals(400, asOperator("GET", "/admin/users", "limit=0", null).status());
        assertEquals(400, asOperator("GET", "/admin/users", "limit=101", null).status());
        assertEquals(400, asOperator("GET", "/admin/users", "limit=ten", null).status());
    }

    static String userIdOf(Map<String, String> user) {
        Answer found = asOperator("GET", "/admin/users", "email=" + user.get("email"), null);
        assertEquals(200, found.status(), found.body());
        String userId = found.json().getString("users[0].userId");
        assertNotEquals(null, userId);
        return userId;
    }
}
