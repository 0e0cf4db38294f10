package com.example.shop.auth.account;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A user whose hash was made at a lower cost than configured (imported, or the cost raised since) gets a hash at
 * the configured cost at the next successful login, and keeps logging in with the same password.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
@TestProfile(RehashOnLoginTest.CostSix.class)
class RehashOnLoginTest {

    public static class CostSix implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.password.bcrypt-cost", "6");
        }
    }

    @Inject
    UserStore users;

    @Test
    void aLoginStoresTheHashAtTheConfiguredCost() {
        String email = Api.uniqueEmail("rehash");
        String password = Api.newPassword();
        users.create(UUID.randomUUID().toString(), email, BcryptUtil.bcryptHash(password, 4), "Imported", Instant.now());

        Api.login(email, Api.newPassword()).then().statusCode(401);
        assertTrue(hashOf(email).startsWith("$2a$04$"), "a failed login changes no hash");

        Api.login(email, password).then().statusCode(200);
        assertTrue(hashOf(email).startsWith("$2a$06$"), "stored at the configured cost");
        Api.login(email, password).then().statusCode(200);
        Api.login(email, Api.newPassword()).then().statusCode(401);
    }

    private String hashOf(String email) {
        return users.findByEmail(email).orElseThrow().passwordHash();
    }
}
