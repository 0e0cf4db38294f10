package com.example.shop.auth.importing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.LambdaEvents;
import com.example.shop.auth.testing.LambdaEvents.Answer;
import com.example.shop.auth.testing.LocalAws;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.store.UserStore;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * scripts/check_emails.py against the table the service uses: users stored under the old, looser email rule are
 * reported (refused, or spelled differently now), masked and escaped, and nothing is changed; users signed up under
 * the rule are not reported. The items are written with the store directly, since signup and the import refuse
 * these emails now.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class EmailCheckTest {

    @Inject
    UserStore users;


    @Test
    void storedEmailsTheRuleRefusesOrRespellsAreReportedNotChanged() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String bracketed = "<old-" + tag + "@shop-test.example.com>";
        String unicodeDomain = "old-" + tag + "@bücher.example";
        String invisible = "old-" + tag + "@shop\u202etest.example.com";
        String bracketedId = legacyUser(bracketed);
        String unicodeId = legacyUser(unicodeDomain);
        String invisibleId = legacyUser(invisible);
        String fine = Api.uniqueEmail("checked");
        String fineId = Api.signup(fine, Api.newPassword(), "Fine").then().statusCode(201).extract().path("userId");
        try {
            Result result = checkEmails();

            assertEquals(1, result.exitCode(), result.out());
            List<String> lines = result.out().lines().toList();
            assertTrue(lines.contains("refused " + bracketedId + " <***@shop-test.example.com>: Email must be a valid "
                    + "address such as name@example.com; quoted strings, comments and angle brackets are not allowed."),
                    result.out());
            assertTrue(lines.contains("respelled " + unicodeId + " o***@b\\u00fccher.example -> o***@xn--bcher-kva.example"),
                    result.out());
            assertTrue(lines.contains("refused " + invisibleId + " o***@shop\\u202etest.example.com: Email must be a "
                    + "valid address such as name@example.com; spaces, control and invisible formatting characters "
                    + "are not allowed."), result.out());
            assertFalse(result.out().contains(fineId), "a user signed up under the rule is fine");
            assertFalse(result.out().contains(tag), "emails are masked");
            assertFalse(result.out().contains("\u202e"), "nothing that reorders a terminal's text");
            assertTrue(lines.get(lines.size() - 1).matches("checked \\d+ users, \\d+ to fix"), result.out());

            assertEquals(bracketed, users.find(bracketedId).orElseThrow().user().email(), "reported, not changed");
            assertEquals(unicodeDomain, users.find(unicodeId).orElseThrow().user().email());
        } finally {
            // other tests share the table and page through its users
            for (String userId : List.of(bracketedId, unicodeId, invisibleId)) {
                users.find(userId).ifPresent(users::deleteAccount);
            }
        }
    }

    /** An operator's listing still pages past a user whose stored email today's rule refuses. */
    @Test
    void theAdminListingPagesPastAStoredEmailTheRuleRefuses() {
        String userId = legacyUser("\"old-" + UUID.randomUUID().toString().substring(0, 8) + "\"@shop-test.example.com");
        try {
            // find the page that holds the user, then ask for that page again ending at the user, so that the
            // next cursor is the one after it, and the listing must take that cursor back
            String cursor = null;
            for (int pages = 0; pages < 100; pages++) {
                JsonPath page = list(100, cursor);
                List<String> ids = page.getList("users.userId");
                int at = ids.indexOf(userId);
                if (at >= 0) {
                    String past = list(at + 1, cursor).getString("nextCursor");
                    assertTrue(past != null, "a cursor after that user");
                    list(100, past);
                    return;
                }
                cursor = page.getString("nextCursor");
                if (cursor == null) {
                    break;
                }
            }
            throw new AssertionError("the listing never showed the user");
        } finally {
            users.find(userId).ifPresent(users::deleteAccount);
        }
    }

    /** One page of the admin listing through the Lambda path, as an IAM caller; asserts a 200. */
    private static JsonPath list(int limit, String cursor) {
        String query = "limit=" + limit + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        Answer answer = LambdaEvents.send("GET", "/admin/users", query, Map.of(), null,
                Map.of("iam", Map.of("accountId", "123456789012", "userArn", "arn:aws:iam::123456789012:user/test")));
        assertEquals(200, answer.status(), answer.body());
        return answer.json();
    }

    private String legacyUser(String email) {
        String userId = UUID.randomUUID().toString();
        users.create(userId, email, BcryptUtil.bcryptHash(Api.newPassword(), 4), "Old User", Instant.now());
        return userId;
    }

    private record Result(int exitCode, String out) {
    }

    private static Result checkEmails() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(".venv/bin/python", "scripts/check_emails.py");
        LocalAws.pointAtMoto(builder.environment());
        Process p = builder.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script did not finish");
        return new Result(p.exitValue(), out);
    }
}
