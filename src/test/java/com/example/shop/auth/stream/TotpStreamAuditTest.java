package com.example.shop.auth.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The stream audit names the TOTP attributes as changed and never shows their values, nor a pending sign-in's key. */
class TotpStreamAuditTest {

    private static final String USER = "0b8f6a4e-2c7d-4d0e-9a51-5f3c2b1a0e9d";
    private static final String CIPHERTEXT = "AQICAHhTOTPCIPHERTEXTSAMPLE0123456789";
    private static final String CODE_HASH = "a".repeat(64);
    private static final String TOKEN_HASH = "b".repeat(64);

    @Test
    void totpAttributesAreNamedNeverShown() throws Exception {
        String event = """
                {"Records": [
                  {"eventID": "1", "eventName": "MODIFY", "dynamodb": {
                    "Keys": {"userId": {"S": "%1$s"}},
                    "OldImage": {"userId": {"S": "%1$s"}, "email": {"S": "ada@example.com"}},
                    "NewImage": {"userId": {"S": "%1$s"}, "email": {"S": "ada@example.com"},
                      "totpSecret": {"B": "%2$s"}, "totpPendingSecret": {"B": "%2$s"},
                      "totpLastStep": {"N": "59000000"}, "recoveryCodes": {"SS": ["%3$s"]},
                      "amr": {"L": [{"S": "pwd"}]}}}},
                  {"eventID": "2", "eventName": "INSERT", "dynamodb": {
                    "Keys": {"userId": {"S": "MFA#%4$s"}},
                    "NewImage": {"userId": {"S": "MFA#%4$s"}, "ownerId": {"S": "%1$s"},
                      "attemptsLeft": {"N": "5"}, "resetTokenExpiry": {"N": "1795580700"}}}}
                ]}""".formatted(USER, CIPHERTEXT, CODE_HASH, TOKEN_HASH);

        String lines = StreamAuditHandler.linesOf(event);
        assertFalse(lines.contains(CIPHERTEXT), "no secret ciphertext");
        assertFalse(lines.contains(CODE_HASH), "no recovery code hash");
        assertFalse(lines.contains(TOKEN_HASH), "no mfa token hash");
        assertFalse(lines.contains("59000000"), "no time step");

        ObjectMapper json = new ObjectMapper();
        String[] split = lines.split("\n");
        JsonNode user = json.readTree(split[0]);
        List<String> changed = json.convertValue(user.get("changed"), List.class);
        assertTrue(changed.containsAll(List.of("totpSecret", "totpPendingSecret", "totpLastStep", "recoveryCodes")));
        JsonNode pending = json.readTree(split[1]);
        assertEquals("pending_mfa", pending.get("kind").asText());
        assertEquals("MFA#<token hash>", pending.get("key").asText());
        assertEquals(USER, pending.get("ownerId").asText());
        assertEquals(5, pending.get("new").get("attemptsLeft").asInt());
    }
}
