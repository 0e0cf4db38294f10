package com.example.shop.auth.token;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api.Tokens;
import com.example.shop.auth.testing.Api;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The middle of a signing-key rotation: key B signs, key A (which signed until the switch) is still trusted. Tokens
 * of A keep working on our routes, new tokens carry B's kid, and the JWK set holds both as API Gateway's JWT
 * authorizer reads it.
 */
@QuarkusTest
@TestProfile(KeyRotationTest.BSignsAIsPrevious.class)
class KeyRotationTest {

    public static class BSignsAIsPrevious implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RotationKeys.class, Map.of("current", "B", "previous", "A")));
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

    @Inject
    SigningKey signingKey;

    @Test
    void tokensOfThePreviousKeyKeepWorkingAndNewTokensCarryTheCurrentKid() throws Exception {
        Tokens tokens = Api.signIn(Api.existingUser("rotation"));
        String byB = tokens.accessToken();
        assertEquals(RotationKeys.thumbprint(kms, "B"), RotationKeys.header(json, byB).get("kid"), "new tokens: B");

        // what the deployment before the switch issued for this session: the same classes, A as the current key
        String byA = RotationKeys.sameSessionSignedWith(kms, json, "A", byB);
        assertEquals(RotationKeys.thumbprint(kms, "A"), RotationKeys.header(json, byA).get("kid"));
        assertNotEquals(RotationKeys.header(json, byA).get("kid"), RotationKeys.header(json, byB).get("kid"));

        for (String token : List.of(byA, byB)) {
            Api.getSignedIn("/me", token).then().statusCode(200);
            Api.getSignedIn("/me/sessions", token).then().statusCode(200);
        }
        // a refresh after the switch hands out a B token
        Tokens refreshed = Tokens.of(Api.refresh(tokens.refreshToken()).then().statusCode(200).extract().response());
        assertEquals(RotationKeys.thumbprint(kms, "B"), RotationKeys.header(json, refreshed.accessToken()).get("kid"));
    }

    @Test
    void theJwkSetListsBothKeysCurrentFirstAsTheAuthorizerReadsIt() throws Exception {
        // API Gateway's JWT authorizer: <issuer>/.well-known/openid-configuration, then the keys at jwks_uri
        String jwksPath = URI.create(given().get("/.well-known/openid-configuration").then().statusCode(200)
                .extract().jsonPath().getString("jwks_uri")).getPath();
        Response response = given().get(jwksPath);
        response.then().statusCode(200).contentType("application/json");
        assertEquals("public,max-age=3600", cacheControl(response));
        JsonPath jwks = response.jsonPath();

        List<Map<String, Object>> keys = jwks.getList("keys");
        assertEquals(2, keys.size(), "the current key and the previous one");
        for (int i = 0; i < keys.size(); i++) {
            String letter = i == 0 ? "B" : "A";
            Map<String, Object> key = keys.get(i);
            assertEquals(Set.of("kty", "use", "alg", "kid", "n", "e"), key.keySet(), "nothing else, nothing private");
            assertEquals("RSA", key.get("kty"));
            assertEquals("sig", key.get("use"));
            assertEquals("RS256", key.get("alg"));
            assertEquals(RotationKeys.thumbprint(kms, letter), key.get("kid"), letter + "'s own kid");
            RSAPublicKey inKms = RotationKeys.publicKey(kms, letter);
            RSAPublicKey published = (RSAPublicKey) JsonWebKey.Factory.newJwk(key).getKey();
            assertEquals(inKms.getModulus(), published.getModulus(), letter + "'s n");
            assertEquals(inKms.getPublicExponent(), published.getPublicExponent(), letter + "'s e");
        }
        assertNotEquals(keys.get(0).get("kid"), keys.get(1).get("kid"));

        // a verifier that knows nothing but this document accepts the tokens of both keys
        String byB = Api.signIn(Api.existingUser("rotation-jwks")).accessToken();
        String byA = RotationKeys.sameSessionSignedWith(kms, json, "A", byB);
        for (String token : List.of(byA, byB)) {
            verifyWithTheJwkSet(response.asString(), token);
        }
    }

    @Test
    void aTokenIsVerifiedOnlyWithTheKeyItsKidNames() throws Exception {
        String byB = Api.signIn(Api.existingUser("rotation-kid")).accessToken();
        String kidOfA = RotationKeys.thumbprint(kms, "A");

        // a key that exists in KMS but is not listed: its tokens are refused like any invalid token
        String byC = RotationKeys.sameSessionSignedWith(kms, json, "C", byB);
        assertEquals(RotationKeys.thumbprint(kms, "C"), RotationKeys.header(json, byC).get("kid"));
        Api.expectUnauthorized(Api.getSignedIn("/me", byC));

        // B's signature under A's kid, and A's signature under B's kid: the kid picks the key, and only that one
        Map<String, Object> header = RotationKeys.header(json, byB);
        header.put("kid", kidOfA);
        Api.expectUnauthorized(Api.getSignedIn("/me", RotationKeys.withHeader(json, signingKey, byB, header)));
        String byA = RotationKeys.sameSessionSignedWith(kms, json, "A", byB);
        Map<String, Object> headerOfA = RotationKeys.header(json, byA);
        headerOfA.put("kid", RotationKeys.thumbprint(kms, "B"));
        Api.expectUnauthorized(Api.getSignedIn("/me",
                RotationKeys.withHeader(json, RotationKeys.signingKey(kms, "A"), byA, headerOfA)));

        // no kid at all
        header.remove("kid");
        Api.expectUnauthorized(Api.getSignedIn("/me", RotationKeys.withHeader(json, signingKey, byB, header)));

        // and the session itself is fine
        Api.getSignedIn("/me", byB).then().statusCode(200);
        Api.getSignedIn("/me", byA).then().statusCode(200);
    }

    /** The Cache-Control directives, however the test server splits the header into lines. */
    static String cacheControl(Response response) {
        return String.join(",", response.headers().getValues("Cache-Control")).replace(" ", "");
    }

    /** Picks the JWK by the token's kid, as a JWKS-based verifier does, and checks the RS256 signature with it. */
    static void verifyWithTheJwkSet(String jwksJson, String token) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        JsonWebKey jwk = new VerificationJwkSelector().select(jws, new JsonWebKeySet(jwksJson).getJsonWebKeys());
        assertEquals(jws.getKeyIdHeaderValue(), jwk.getKeyId());
        new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256))
                .setVerificationKey(jwk.getKey())
                .setExpectedIssuer("https://auth.shop.example.com")
                .setExpectedAudience("shop-api")
                .build()
                .processToClaims(token);
    }

    /** The token does not verify with any key of the JWK set. */
    static void notVerifiedByTheJwkSet(String jwksJson, String token) {
        assertThrows(Exception.class, () -> verifyWithTheJwkSet(jwksJson, token));
    }
}
