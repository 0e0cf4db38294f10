package com.example.shop.auth.session;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.store.SessionStore;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * auth.session.max-per-user is refused at startup where one transaction could no longer end every session of a
 * user: DynamoDB takes at most 100 actions per transaction, and an account's deletion adds its user, its claim and
 * one token of each purpose to the sessions.
 */
class SessionCapConfigTest {

    @Test
    void aCapAboveWhatOneTransactionHoldsIsRefusedAtStartup() {
        var e = assertThrows(IllegalStateException.class, () -> sessionsWithCap(SessionStore.MAX_PER_USER_LIMIT + 1));
        assertTrue(e.getMessage().contains("auth.session.max-per-user"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> sessionsWithCap(99));
        assertThrows(IllegalStateException.class, () -> sessionsWithCap(0));
    }

    @Test
    void capsUpToTheLimitStart() {
        assertDoesNotThrow(() -> sessionsWithCap(SessionStore.MAX_PER_USER_LIMIT));
        assertDoesNotThrow(() -> sessionsWithCap(10));
        assertTrue(SessionStore.MAX_PER_USER_LIMIT + 4 <= 100);
    }

    private static SessionService sessionsWithCap(int cap) {
        AuthConfig config = new SmallRyeConfigBuilder()
                .withMapping(AuthConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("auth.session.max-per-user", Integer.toString(cap),
                        "auth.jwt.kms-key-id", "alias/unused"),
                        "test", 500))
                .build()
                .getConfigMapping(AuthConfig.class);
        return new SessionService(null, null, null, null, config, null);
    }
}
