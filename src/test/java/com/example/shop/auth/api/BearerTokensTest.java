package com.example.shop.auth.api;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api.Tokens;
import com.example.shop.auth.token.SigningKey;
import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.TestSecrets;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Access tokens the account routes must refuse. Tokens with one thing wrong are signed by the service's real KMS
 * key (through moto), so that only that one thing can be why they are refused.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class BearerTokensTest {

    @Inject
    SigningKey signingKey;

    @Inject
    ObjectMapper json;

    @Test
    void aGoodTokenOfALiveSessionIsAccepted() throws Exception {
        Tokens tokens = Api.signIn(Api.existingUser("bearer-good"));
        Api.getSignedIn("/me/sessions", tokens.accessToken()).then().statusCode(200);
        // the same claims re-signed by our key are accepted too: the checks below differ from it in one thing only
        Api.getSignedIn("/me/sessions", kmsSigned(tokens, header -> { }, claims -> { })).then().statusCode(200);
    }

    @Test
    void noTokenOrAnotherSchemeIsRefused() {
        Api.expectUnauthorized(given().get("/me/sessions").andReturn());
        Tokens tokens = Api.signIn(Api.existingUser("bearer-scheme"));
        Api.expectUnauthorized(given().header("Authorization", "Basic " + tokens.accessToken())
                .get("/me/sessions").andReturn());
        Api.expectUnauthorized(Api.getSignedIn("/me/sessions", "not.a.jwt"));
        Api.expectUnauthorized(Api.getSignedIn("/me/sessions", tokens.refreshToken()));
    }

    @Test
    void wrongIssuerAudienceTypeOrExpiryIsRefused() throws Exception {
        Tokens tokens = Api.signIn(Api.existingUser("bearer-claims"));
        long now = System.currentTimeMillis() / 1000;
        refused(kmsSigned(tokens, h -> { }, c -> c.put("iss", "https://evil.example.com")));
        refused(kmsSigned(tokens, h -> { }, c -> c.put("aud", "another-api")));
        refused(kmsSigned(tokens, h -> h.put("typ", "JWT"), c -> { }));
        refused(kmsSigned(tokens, h -> { }, c -> {
            c.put("iat", now - 7200);
            c.put("exp", now - 3600);
        }));
        refused(kmsSigned(tokens, h -> { }, c -> c.remove("sid")));
        refused(kmsSigned(tokens, h -> { }, c -> c.put("sub", "00000000-0000-4000-8000-000000000000")));
    }

    @Test
    void forgedUnsignedAndConfusedAlgorithmTokensAreRefused() throws Exception {
        Tokens tokens = Api.signIn(Api.existingUser("bearer-forged"));
        JwtClaims claims = JwtClaims.parse(new String(Base64.getUrlDecoder().decode(tokens.accessToken().split("\\.")[1]),
                StandardCharsets.UTF_8));

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey attackerKey = generator.generateKeyPair().getPrivate();
        // each carries our key's kid, so that the signature or the algorithm is what gets it refused
        refused(jose4jSigned(claims, AlgorithmIdentifiers.RSA_USING_SHA256, attackerKey));

        // HS256 keyed with our public key, which anyone can fetch from the JWK set
        refused(jose4jSigned(claims, AlgorithmIdentifiers.HMAC_SHA256,
                new HmacKey(signingKey.publicKey().getEncoded())));

        String[] parts = tokens.accessToken().split("\\.");
        String none = base64Url("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + signingKey.kid() + "\"}") + "."
                + parts[1] + ".";
        refused(none);
        refused(parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA");
    }

    private static void refused(String accessToken) {
        TestSecrets.remember(accessToken);
        Api.expectUnauthorized(Api.getSignedIn("/me/sessions", accessToken));
    }

    /** The token's header and claims, changed as asked, signed by the service's own key in KMS. */
    @SuppressWarnings("unchecked")
    private String kmsSigned(Tokens tokens, Consumer<Map<String, Object>> header, Consumer<Map<String, Object>> claims)
            throws Exception {
        String[] parts = tokens.accessToken().split("\\.");
        Map<String, Object> h = new LinkedHashMap<>(json.readValue(Base64.getUrlDecoder().decode(parts[0]), Map.class));
        Map<String, Object> c = new LinkedHashMap<>(json.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class));
        header.accept(h);
        claims.accept(c);
        String signingInput = base64Url(json.writeValueAsString(h)) + "." + base64Url(json.writeValueAsString(c));
        byte[] signature = signingKey.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    private String jose4jSigned(JwtClaims claims, String algorithm, java.security.Key key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setHeader("typ", "at+jwt");
        jws.setKeyIdHeaderValue(signingKey.kid());
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
