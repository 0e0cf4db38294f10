package com.example.shop.auth.token;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api.Tokens;
import com.example.shop.auth.testing.Api;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A previous key that KMS cannot serve (here: one it does not have, as after its deletion) is listed before a good
 * one. Signing, the current key's tokens and the good previous key's tokens are unaffected; the JWK set leaves the
 * missing key out and is not cached; the log names the key.
 */
@QuarkusTest
@TestProfile(UnavailablePreviousKeyTest.APreviousKeyIsGone.class)
class UnavailablePreviousKeyTest {

    public static class APreviousKeyIsGone implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RotationKeys.class, Map.of("current", "B", "previous", "gone,A")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final Path LOG = Path.of("target/quarkus-test.log");

    @Inject
    KmsClient kms;

    @Inject
    ObjectMapper json;

    @Test
    void signingAndTheOtherKeysTokensAreUnaffected() throws Exception {
        Tokens tokens = Api.signIn(Api.existingUser("gone-key"));
        String byB = tokens.accessToken();
        String byA = RotationKeys.sameSessionSignedWith(kms, json, "A", byB);
        Api.getSignedIn("/me", byB).then().statusCode(200);
        Api.getSignedIn("/me", byA).then().statusCode(200);
        Api.refresh(tokens.refreshToken()).then().statusCode(200);

        Response response = given().get("/.well-known/jwks.json");
        response.then().statusCode(200);
        assertEquals("no-store", KeyRotationTest.cacheControl(response));
        assertEquals(List.of(RotationKeys.thumbprint(kms, "B"), RotationKeys.thumbprint(kms, "A")),
                response.jsonPath().getList("keys.kid"), "the current key first, the missing one left out");

        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        assertTrue(log.contains("Previous JWT signing key " + RotationKeys.ARNS.get("gone") + " is unavailable"),
                "the log names the key KMS could not serve");
    }

    @Test
    void eachPublicKeyIsFetchedOnceAndAnUnavailableOneIsNotAskedForOnEveryRequest() throws Exception {
        AtomicInteger getPublicKey = new AtomicInteger();
        KmsClient counting = (KmsClient) Proxy.newProxyInstance(KmsClient.class.getClassLoader(),
                new Class<?>[] { KmsClient.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getPublicKey")) {
                        getPublicKey.incrementAndGet();
                    }
                    try {
                        return method.invoke(kms, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SigningKey keys = new SigningKey(counting, RotationKeys.configWithKey("B", "gone", "A"));

        String kidOfA = RotationKeys.thumbprint(kms, "A");
        for (int i = 0; i < 3; i++) {
            assertEquals(2, ((List<?>) keys.jwks().get("keys")).size());
            assertFalse(keys.jwkSet().complete());
            assertTrue(keys.verificationKey(kidOfA).isPresent());
            assertEquals(Optional.empty(), keys.verificationKey("no-such-kid"));
            keys.kid();
        }
        assertEquals(3, getPublicKey.get(), "one GetPublicKey per key: B, the missing one, A");
    }
}
