package com.example.shop.auth.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;
import com.example.shop.auth.testing.TestSecrets;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class SignupAndLoginTest {

    @Inject
    DynamoDbClient dynamo;

    @Test
    void signupReturnsTheNewAccountWithoutSecrets() {
        String email = Api.uniqueEmail("new");
        Response response = Api.signup(email, Api.newPassword(), "  Ada Lovelace ");
        response.then().statusCode(201)
                .body("userId", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"))
                .body("email", equalTo(email))
                .body("name", equalTo("Ada Lovelace"));
        Instant.parse(response.path("createdAt"));
        assertEquals(Map.of("userId", 1, "email", 1, "name", 1, "createdAt", 1).keySet(),
                response.jsonPath().getMap("$").keySet());

        var item = Table.item(dynamo, response.path("userId")).orElseThrow();
        assertTrue(item.get("passwordHash").s().startsWith("$2a$"), "stored as bcrypt");
        assertFalse(item.containsKey("resetTokenExpiry"), "a user item never carries the TTL attribute");
        assertTrue(Table.item(dynamo, "EMAIL#" + email).isPresent(), "the email claim is written with the user");
    }

    @Test
    void loginRightAfterSignupGivesATokenThatVerifiesWithThePublishedKey() throws Exception {
        String email = Api.uniqueEmail("jwt");
        String password = Api.newPassword();
        String userId = Api.signup(email, password, "Grace").then().statusCode(201).extract().path("userId");

        Response login = Api.login(email, password);
        login.then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900));
        String token = TestSecrets.remember(login.path("accessToken"));

        String jwks = given().when().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .extract().asString();
        JwtClaims claims = verifier(jwks).processToClaims(token);

        assertEquals("https://auth.shop.example.com", claims.getIssuer());
        assertEquals(java.util.List.of("shop-api"), claims.getAudience());
        assertEquals(userId, claims.getSubject());
        assertEquals(email, claims.getClaimValueAsString("email"));
        assertEquals(900, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertTrue(claims.getJwtId() != null && !claims.getJwtId().isBlank());

        JsonWebSignature header = new JsonWebSignature();
        header.setCompactSerialization(token);
        assertEquals("at+jwt", header.getHeader("typ"));
        assertEquals(AlgorithmIdentifiers.RSA_USING_SHA256, header.getAlgorithmHeaderValue());
    }

    @Test
    void aTamperedTokenDoesNotVerify() throws Exception {
        var user = Api.existingUser("tamper");
        String token = Api.login(user.get("email"), user.get("password")).path("accessToken");
        TestSecrets.remember(token);
        String[] parts = token.split("\\.");
        String forgedClaims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"someone-else\",\"iss\":\"https://auth.shop.example.com\",\"aud\":\"shop-api\"}".getBytes());
        String forged = parts[0] + "." + forgedClaims + "." + parts[2];
        String jwks = given().get("/.well-known/jwks.json").asString();
        assertThrows(InvalidJwtException.class, () -> verifier(jwks).processToClaims(forged));
    }

    @Test
    void aTakenEmailIsRefusedWhateverItsCaseOrSurroundingSpaces() {
        String email = Api.uniqueEmail("dup");
        String password = Api.newPassword();
        Api.signup(email, password, "First").then().statusCode(201);

        for (String variant : new String[] { email, email.toUpperCase(), "  " + email + "\t" }) {
            Api.signup(variant, Api.newPassword(), "Second").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("status", equalTo(409))
                    .body("title", equalTo("Email already registered"));
        }
        assertEquals(1, Table.usersWithEmail(dynamo, email).size());

        Api.login("  " + email.toUpperCase() + " ", password).then().statusCode(200);
    }

    static JwtConsumer verifier(String jwksJson) throws Exception {
        JsonWebKeySet keys = new JsonWebKeySet(jwksJson);
        return new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setRequireJwtId()
                .setExpectedIssuer("https://auth.shop.example.com")
                .setExpectedAudience("shop-api")
                .setEvaluationTime(NumericDate.now())
                .setAllowedClockSkewInSeconds(3600) // the test clock may have been moved forward by other tests
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedType(true, "at+jwt")
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys()))
                .build();
    }
}
