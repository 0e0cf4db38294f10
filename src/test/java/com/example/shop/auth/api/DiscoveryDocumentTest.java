package com.example.shop.auth.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * {@code GET /.well-known/openid-configuration} publishes what exists and nothing else: the issuer of the access
 * tokens and where their keys are, which is what API Gateway's JWT authorizer reads.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class DiscoveryDocumentTest {

    /** The tests' profile keeps the default issuer (the template's JwtIssuer default). */
    private static final String ISSUER = "https://auth.shop.example.com";

    @Test
    void theDocumentHoldsOnlyTheIssuerAndTheKeys() {
        Map<String, Object> document = given().when().get("/.well-known/openid-configuration").then()
                .statusCode(200)
                .contentType("application/json")
                .extract().jsonPath().getMap("");

        assertEquals(Set.of("issuer", "jwks_uri"), document.keySet());
        assertEquals(ISSUER, document.get("issuer"));
        assertEquals(ISSUER + "/.well-known/jwks.json", document.get("jwks_uri"));
    }

    @Test
    void jwksUriIsServedHereAndHoldsTheKeyOfTheTokensOfThisIssuer() throws Exception {
        JsonPath document = given().when().get("/.well-known/openid-configuration").then().statusCode(200)
                .extract().jsonPath();
        URI jwksUri = URI.create(document.getString("jwks_uri"));

        // the same path on this server (the tests' server has a random port, the document the issuer's host)
        String jwks = given().when().get(jwksUri.getPath()).then().statusCode(200)
                .contentType("application/json")
                .extract().asString();
        assertEquals(given().get("/.well-known/jwks.json").asString(), jwks);

        String token = Api.signIn(Api.existingUser("discovery")).accessToken();
        JsonWebSignature header = new JsonWebSignature();
        header.setCompactSerialization(token);
        List<String> kids = new JsonPath(jwks).getList("keys.kid");
        assertTrue(kids.contains(header.getKeyIdHeaderValue()), "the key that signed a fresh token is at jwks_uri");
        JwtClaims claims = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                .setSkipSignatureVerification().build().processToClaims(token);
        assertEquals(document.getString("issuer"), claims.getIssuer(), "iss is the document's issuer");
    }

    /**
     * In the local run (dev mode, scripts/run-local.sh) the issuer is the local server, so jwks_uri points there and
     * not at the production host, whichever port the run uses.
     */
    @Test
    void theLocalRunIsItsOwnIssuer() {
        assertEquals("http://localhost:8080", devConfig(Map.of()).getValue("auth.jwt.issuer", String.class));
        assertEquals("http://localhost:18080",
                devConfig(Map.of("quarkus.lambda.mock-event-server.dev-port", "18080"))
                        .getValue("auth.jwt.issuer", String.class));
    }

    /** application.properties as the dev profile reads it, under the given system-property-like overrides. */
    private static SmallRyeConfig devConfig(Map<String, String> overrides) {
        URL properties = DiscoveryDocumentTest.class.getClassLoader().getResource("application.properties");
        try {
            return new SmallRyeConfigBuilder()
                    .withProfile("dev")
                    .addDefaultInterceptors()
                    .withSources(new PropertiesConfigSource(properties, 250))
                    .withSources(new PropertiesConfigSource(overrides, "overrides", 400))
                    .build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
