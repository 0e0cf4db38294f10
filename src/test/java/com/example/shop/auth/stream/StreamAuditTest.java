package com.example.shop.auth.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.LocalAws;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The stream audit function on a REAL DynamoDB stream from moto (not recorded events): changes made through
 * the API and one made outside it (the specification's raw put_item) are read back from moto's stream by
 * tools/stream_event.py as the Lambda event, and the handler's audit lines checked.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class StreamAuditTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyChangeIsAuditedWithItsKindAndChangedAttributesAndNoSecret() throws Exception {
        python("tools/stream_event.py", "--enable");
        String email = Api.uniqueEmail("stream");
        String password = Api.newPassword();
        String userId = Api.signup(email, password, "Stream User").then().statusCode(201)
                .extract().path("userId");
        Api.login(email, Api.newPassword()).then().statusCode(401);     // failedLogins 0 -> 1
        Api.requestReset(email).then().statusCode(202);                 // RESET# item, user's resetToken
        // an email change: EMAILCHANGE# item (pendingEmail) and the user's emailChangeToken, then email and claims
        String newEmail = Api.uniqueEmail("stream-new");
        String access = Api.signIn(java.util.Map.of("email", email, "password", password)).accessToken();
        Api.changeEmail(access, newEmail, password).then().statusCode(202);
        Api.confirmEmailChange(Mailbox.latestEmailChangeToken(newEmail)).then().statusCode(204);
        String rawId = UUID.randomUUID().toString();
        python("-c", "import boto3, sys; boto3.resource('dynamodb').Table('ecommerce-users').put_item(Item={"
                + "'userId': sys.argv[1], 'email': 'raw-put@example.com', 'passwordHash': 'bcrypt-hash', "
                + "'name': 'John Doe', 'createdAt': '2024-01-01T00:00:00', 'updatedAt': '2024-01-01T00:00:00'})",
                rawId);

        String event = python("tools/stream_event.py");
        // other tests share this table and check that every user has its claim
        python("-c", "import boto3, sys; boto3.resource('dynamodb').Table('ecommerce-users')"
                + ".delete_item(Key={'userId': sys.argv[1]})", rawId);
        String lines = StreamAuditHandler.linesOf(event);
        List<JsonNode> audit = new ArrayList<>();
        for (String line : lines.split("\n")) {
            audit.add(JSON.readTree(line)); // one JSON object per line
        }
        assertEquals(JSON.readTree(event).get("Records").size(), audit.size(), "one line per stream record");

        JsonNode created = find(audit, "INSERT", "user", userId);
        assertTrue(list(created.get("changed")).containsAll(List.of("email", "name", "passwordHash")));
        assertEquals("Stream User", created.get("new").get("name").asText());
        assertEquals(email.charAt(0) + "***" + email.substring(email.indexOf('@')),
                created.get("new").get("email").asText(), "emails masked as in the auth audit trail");
        assertFalse(created.get("new").has("passwordHash"));

        JsonNode claim = find(audit, "INSERT", "email_claim", null);
        assertEquals(userId, claim.get("ownerId").asText());

        JsonNode failed = findChange(audit, userId, "failedLogins");
        assertEquals(0, failed.get("old").get("failedLogins").asInt());
        assertEquals(1, failed.get("new").get("failedLogins").asInt());

        JsonNode resetOnUser = findChange(audit, userId, "resetToken");
        assertFalse(resetOnUser.get("new").has("resetToken"), "named as changed, never shown");
        JsonNode resetItem = find(audit, "INSERT", "reset_token", null);
        assertEquals("RESET#<token hash>", resetItem.get("key").asText());
        assertEquals(userId, resetItem.get("ownerId").asText());

        JsonNode changeItem = find(audit, "INSERT", "email_change_token", null);
        assertEquals("EMAILCHANGE#<token hash>", changeItem.get("key").asText());
        assertEquals(userId, changeItem.get("ownerId").asText());
        assertEquals(masked(newEmail), changeItem.get("new").get("pendingEmail").asText(),
                "the pending address masked like an email");
        JsonNode changeOnUser = findChange(audit, userId, "emailChangeToken");
        assertFalse(changeOnUser.get("new").has("emailChangeToken"), "named as changed, never shown");
        JsonNode moved = findChange(audit, userId, "email");
        assertEquals(masked(email), moved.get("old").get("email").asText());
        assertEquals(masked(newEmail), moved.get("new").get("email").asText());
        assertEquals("EMAILCHANGE#<token hash>", find(audit, "REMOVE", "email_change_token", null).get("key").asText());

        JsonNode raw = find(audit, "INSERT", "user", rawId);
        assertEquals("John Doe", raw.get("new").get("name").asText(), "changes outside the API are audited too");

        // No secret anywhere: no password hash, no reset-token hash (user attribute or item key), no clear email.
        for (String secret : secretsIn(event)) {
            assertFalse(lines.contains(secret), "an audit line shows a secret value");
        }
        assertFalse(lines.contains(email), "an audit line shows an email in clear");
        assertFalse(lines.contains(newEmail), "an audit line shows the new email of a change in clear");
    }

    private static String masked(String email) {
        return email.charAt(0) + "***" + email.substring(email.indexOf('@'));
    }

    private static List<String> secretsIn(String event) {
        List<String> secrets = new ArrayList<>();
        Matcher hashes = Pattern.compile("\"(?:passwordHash|resetToken|emailChangeToken)\": \\{\"S\": \"([^\"]+)\"")
                .matcher(event);
        while (hashes.find()) {
            secrets.add(hashes.group(1));
        }
        Matcher keys = Pattern.compile("\"(?:RESET|EMAILCHANGE)#([0-9a-f]{64})\"").matcher(event);
        while (keys.find()) {
            secrets.add(keys.group(1));
        }
        assertFalse(secrets.isEmpty(), "the stream held hashes to look for");
        return secrets;
    }

    private static JsonNode find(List<JsonNode> audit, String event, String kind, String key) {
        return audit.stream()
                .filter(l -> l.get("event").asText().equals(event) && l.get("kind").asText().equals(kind))
                .filter(l -> key == null || l.get("key").asText().equals(key))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + event + " " + kind + " line"));
    }

    private static JsonNode findChange(List<JsonNode> audit, String userId, String attribute) {
        return audit.stream()
                .filter(l -> l.get("event").asText().equals("MODIFY") && l.get("key").asText().equals(userId))
                .filter(l -> list(l.get("changed")).contains(attribute))
                .findFirst().orElseThrow(() -> new AssertionError("no MODIFY of " + attribute));
    }

    private static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String python(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(".venv/bin/python"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        LocalAws.pointAtMoto(builder.environment());
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
