package com.example.shop.auth.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.Api;
import com.example.shop.auth.MotoServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

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
}
