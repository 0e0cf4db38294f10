package com.example.shop.auth.token;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

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

/** The end of a rotation: key A has left the list, so its tokens are refused; key B's keep working. */
@QuarkusTest
@TestProfile(KeyDroppedTest.OnlyBIsTrusted.class)
class KeyDroppedTest {

    public static class OnlyBIsTrusted implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RotationKeys.class, Map.of("current", "B")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Inject
    KmsClient kms;

    @Inject
    ObjectMapper json;

    @Test
    void tokensOfTheDroppedKeyAreRefusedAndTheCurrentKeysStillWork() throws Exception {
        Tokens tokens = Api.signIn(Api.existingUser("dropped"));
        String byB = tokens.accessToken();
        String byA = RotationKeys.sameSessionSignedWith(kms, json, "A", byB);

        Api.expectUnauthorized(Api.getSignedIn("/me", byA));
        Api.expectUnauthorized(Api.getSignedIn("/me/sessions", byA));
        Api.getSignedIn("/me", byB).then().statusCode(200);
        Api.getSignedIn("/me/sessions", byB).then().statusCode(200);

        Response response = given().get("/.well-known/jwks.json");
        response.then().statusCode(200);
        assertEquals("public,max-age=3600", KeyRotationTest.cacheControl(response));
        List<String> kids = response.jsonPath().getList("keys.kid");
        assertEquals(List.of(RotationKeys.thumbprint(kms, "B")), kids, "only the current key is published");
        KeyRotationTest.verifyWithTheJwkSet(response.asString(), byB);
        KeyRotationTest.notVerifiedByTheJwkSet(response.asString(), byA);
    }
}
