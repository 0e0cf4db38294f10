package com.example.shop.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.AuthConfig;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** auth.jwt.previous-kms-key-ids as the template sets it: AUTH_JWT_PREVIOUS_KMS_KEY_IDS, comma separated or empty. */
class PreviousKeysConfigTest {

    private static final String A = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
    private static final String B = "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef";

    @Test
    void theEnvironmentVariableIsACommaSeparatedList() {
        assertEquals(Optional.of(List.of(A, B)), previous(Map.of("AUTH_JWT_PREVIOUS_KMS_KEY_IDS", A + "," + B)));
        assertEquals(Optional.of(List.of(A)), previous(Map.of("AUTH_JWT_PREVIOUS_KMS_KEY_IDS", A)));
    }

    @Test
    void emptyOrUnsetMeansNoPreviousKey() {
        // the template passes "" when PreviousJwtKeyIds is empty
        assertEquals(Optional.empty(), previous(Map.of("AUTH_JWT_PREVIOUS_KMS_KEY_IDS", "")));
        assertEquals(Optional.empty(), previous(Map.of()));
    }

    private static Optional<List<String>> previous(Map<String, String> environment) {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("AUTH_JWT_KMS_KEY_ID", "alias/unused");
        return new SmallRyeConfigBuilder()
                .withMapping(AuthConfig.class)
                .withSources(new EnvConfigSource(env, 300))
                .build()
                .getConfigMapping(AuthConfig.class)
                .jwt().previousKmsKeyIds();
    }
}
