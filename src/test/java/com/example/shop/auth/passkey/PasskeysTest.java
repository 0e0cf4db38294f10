package com.example.shop.auth.passkey;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.store.ItemKind;
import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.Api.Tokens;
import com.example.shop.auth.testing.FaultProxy;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Passkeys;
import com.example.shop.auth.testing.SoftwareAuthenticator;
import com.example.shop.auth.testing.Table;
import com.example.shop.auth.testing.TestClock;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Passkeys: registering, listing, deleting, and signing in with one; every way a sign-in must fail. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class PasskeysTest {

    @Inject
    DynamoDbClient dynamo;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClockAndFaults() {
        clock.reset();
        MotoServer.PROXIES.values().forEach(proxy -> proxy.setMode(FaultProxy.Mode.PASS));
    }

    @Test
    void theRegistrationOptionsAreWhatTheBrowserTakes() {
        Tokens tokens = Api.signIn(Api.existingUser("pk-options"));
        String userId = Api.getSignedIn("/me", tokens.accessToken()).path("userId");
        Response options = Passkeys.registrationOptions(tokens.accessToken());
        options.then().statusCode(200).header("Cache-Control", "no-store")
                .body("rp.id", equalTo("shop.example.com"))
                .body("rp.name", notNullValue())
                .body("user.id", equalTo(base64Url(userId)))
                .body("user.displayName", equalTo("Test pk-options"))
                .body("pubKeyCredParams.alg", equalTo(List.of(-7, -257)))
                .body("pubKeyCredParams.type", equalTo(List.of("public-key", "public-key")))
                .body("timeout", equalTo(300000))
                .body("excludeCredentials", hasSize(0))
                .body("authenticatorSelection.residentKey", equalTo("required"))
                .body("authenticatorSelection.requireResidentKey", equalTo(true))
                .body("authenticatorSelection.userVerification", equalTo("required"))
                .body("attestation", equalTo("none"));
        assertEquals(43, options.<String>path("challenge").length());

        SoftwareAuthenticator authenticator = Passkeys.registered(tokens.accessToken());
        Passkeys.registrationOptions(tokens.accessToken()).then().statusCode(200)
                .body("excludeCredentials.id", equalTo(List.of(authenticator.credentialId())))
                .body("excludeCredentials[0].type", equalTo("public-key"));
    }

    @Test
    void aRegisteredPasskeySignsInWithoutAnEmail() throws Exception {
        var user = Api.existingUser("pk-signin");
        Tokens tokens = Api.signIn(user);
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        Response options = Passkeys.registrationOptions(tokens.accessToken());
        Response created = Passkeys.register(tokens.accessToken(),
                authenticator.register(options.path("challenge"), options.path("user.id")), "My phone");
        created.then().statusCode(201)
                .body("passkeyId", equalTo(authenticator.credentialId()))
                .body("nickname", equalTo("My phone"))
                .body("createdAt", notNullValue());

        Api.getSignedIn("/me/passkeys", tokens.accessToken()).then().statusCode(200)
                .body("passkeys", hasSize(1))
                .body("passkeys[0].passkeyId", equalTo(authenticator.credentialId()))
                .body("passkeys[0].nickname", equalTo("My phone"))
                .body("passkeys[0].lastUsedAt", nullValue())
                .body("passkeys[0].backedUp", equalTo(true));
        Api.getSignedIn("/me", tokens.accessToken()).then().body("mfa.passkeys", equalTo(1))
                .body("mfa.totp", equalTo(false));

        Response options2 = Api.post("/passkeys/authentication-options", Map.of());
        options2.then().statusCode(200).header("Cache-Control", "no-store")
                .body("rpId", equalTo("shop.example.com"))
                .body("userVerification", equalTo("required"))
                .body("allowCredentials", hasSize(0))
                .body("timeout", equalTo(300000));
        Response signedIn = Passkeys.logIn(authenticator.signIn(options2.path("challenge")));
        signedIn.then().statusCode(200).header("Cache-Control", "no-store")
                .body("tokenType", equalTo("Bearer"))
                .body("refreshToken", notNullValue());
        Tokens passkeyTokens = Tokens.of(signedIn);
        Api.getSignedIn("/me", passkeyTokens.accessToken()).then().statusCode(200)
                .body("email", equalTo(user.get("email")));
        // a synced passkey (backup eligible) with user verification: a software key, presence, two factors in one
        assertEquals(List.of("swk", "user", "mfa"),
                Api.claims(passkeyTokens.accessToken()).getStringListClaimValue("amr"));
        Tokens refreshed = Tokens.of(Api.refresh(passkeyTokens.refreshToken()).then().statusCode(200).extract().response());
        assertEquals(List.of("swk", "user", "mfa"), Api.claims(refreshed.accessToken()).getStringListClaimValue("amr"),
                "a refresh keeps how the session was signed in");
        Api.getSignedIn("/me/passkeys", tokens.accessToken()).then()
                .body("passkeys[0].lastUsedAt", notNullValue());

        // again, with the counter one higher
        Passkeys.signIn(authenticator).then().statusCode(200);
    }

    @Test
    void aReplayedAssertionIsRefused() {
        SoftwareAuthenticator authenticator = Passkeys.registered(Api.signIn(Api.existingUser("pk-replay")).accessToken());
        Map<String, Object> assertion = authenticator.signIn(Passkeys.signInChallenge());
        Passkeys.logIn(assertion).then().statusCode(200);
        expectRefused(Passkeys.logIn(assertion));
    }

    @Test
    void theWrongOriginOrRpIdIsRefused() {
        SoftwareAuthenticator authenticator = Passkeys.registered(Api.signIn(Api.existingUser("pk-origin")).accessToken());
        authenticator.origin = "https://shop.example.com.evil.example";
        expectRefused(Passkeys.signIn(authenticator));
        authenticator.origin = SoftwareAuthenticator.ORIGIN;
        authenticator.rpId = "evil.example";
        expectRefused(Passkeys.signIn(authenticator));
        authenticator.rpId = SoftwareAuthenticator.RP_ID;
        Passkeys.signIn(authenticator).then().statusCode(200);
    }

    @Test
    void aBadSignatureOrNoUserVerificationIsRefused() {
        SoftwareAuthenticator authenticator = Passkeys.registered(Api.signIn(Api.existingUser("pk-sig")).accessToken());
        authenticator.signingKey = SoftwareAuthenticator.newKey();
        expectRefused(Passkeys.signIn(authenticator));
        authenticator.signingKey = authenticator.registeredKey();
        authenticator.userVerified = false;
        expectRefused(Passkeys.signIn(authenticator));
    }

    @Test
    void anUnknownPasskeyIsRefused() {
        var user = Api.existingUser("pk-unknown");
        Tokens tokens = Api.signIn(user);
        String userHandle = Passkeys.registrationOptions(tokens.accessToken()).path("user.id");
        SoftwareAuthenticator never = new SoftwareAuthenticator();
        never.register("unused", userHandle); // known to the authenticator only
        expectRefused(Passkeys.signIn(never));
    }

    @Test
    void aCounterGoingBackwardsIsRefused() {
        SoftwareAuthenticator authenticator = Passkeys.registered(Api.signIn(Api.existingUser("pk-counter")).accessToken());
        authenticator.signCount = 10;
        Passkeys.signIn(authenticator).then().statusCode(200); // 11
        authenticator.signCount = 4;
        expectRefused(Passkeys.signIn(authenticator)); // 5: a clone?
    }

    @Test
    void aRegistrationChallengeWorksOnceForItsUserOnly() {
        Tokens tokens = Api.signIn(Api.existingUser("pk-regonce"));
        Response options = Passkeys.registrationOptions(tokens.accessToken());
        String challenge = options.path("challenge");
        String userHandle = options.path("user.id");
        Passkeys.register(tokens.accessToken(), new SoftwareAuthenticator().register(challenge, userHandle), "One")
                .then().statusCode(201);
        Passkeys.register(tokens.accessToken(), new SoftwareAuthenticator().register(challenge, userHandle), "Two")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:ecommerce-auth:problem:invalid-passkey"));

        Tokens other = Api.signIn(Api.existingUser("pk-regother"));
        String othersChallenge = Passkeys.registrationOptions(other.accessToken()).path("challenge");
        Passkeys.register(tokens.accessToken(), new SoftwareAuthenticator().register(othersChallenge, userHandle), "x")
                .then().statusCode(400);
        // a sign-in challenge is no registration challenge
        Passkeys.register(tokens.accessToken(),
                new SoftwareAuthenticator().register(Passkeys.signInChallenge(), userHandle), "x").then().statusCode(400);
        Api.getSignedIn("/me/passkeys", tokens.accessToken()).then().body("passkeys", hasSize(1));
    }

    @Test
    void aRegistrationFromTheWrongOriginIsRefused() {
        Tokens tokens = Api.signIn(Api.existingUser("pk-regorigin"));
        Response options = Passkeys.registrationOptions(tokens.accessToken());
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        authenticator.origin = "https://evil.example";
        Passkeys.register(tokens.accessToken(), authenticator.register(options.path("challenge"), options.path("user.id")),
                "x").then().statusCode(400);
    }

    @Test
    void anExpiredChallengeIsRefused() {
        SoftwareAuthenticator authenticator = Passkeys.registered(Api.signIn(Api.existingUser("pk-expired")).accessToken());
        String challenge = Passkeys.signInChallenge();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        expectRefused(Passkeys.logIn(authenticator.signIn(challenge)));
    }

    @Test
    void aDeletedPasskeySignsInNoMoreAndOthersCannotDeleteIt() {
        Tokens tokens = Api.signIn(Api.existingUser("pk-delete"));
        SoftwareAuthenticator authenticator = Passkeys.registered(tokens.accessToken());
        Tokens stranger = Api.signIn(Api.existingUser("pk-stranger"));
        Api.deleteSignedIn("/me/passkeys/" + authenticator.credentialId(), stranger.accessToken()).then()
                .statusCode(404).contentType("application/problem+json");
        Api.deleteSignedIn("/me/passkeys/not-a-passkey", tokens.accessToken()).then().statusCode(404);

        Api.deleteSignedIn("/me/passkeys/" + authenticator.credentialId(), tokens.accessToken()).then().statusCode(204);
        Api.getSignedIn("/me/passkeys", tokens.accessToken()).then().body("passkeys", hasSize(0));
        Api.getSignedIn("/me", tokens.accessToken()).then().body("mfa.passkeys", equalTo(0));
        expectRefused(Passkeys.signIn(authenticator));
        assertTrue(Table.itemsWithPrefix(dynamo, ItemKind.PASSKEY.prefix() + authenticator.credentialId()).isEmpty());
    }

    @Test
    void aDisabledAccountCannotSignInWithAPasskey() {
        var user = Api.existingUser("pk-disabled");
        Tokens tokens = Api.signIn(user);
        String userId = Api.getSignedIn("/me", tokens.accessToken()).path("userId");
        SoftwareAuthenticator authenticator = Passkeys.registered(tokens.accessToken());
        com.example.shop.auth.testing.LambdaEvents.send("POST", "/admin/users/" + userId + "/disable", "",
                Map.of("content-type", "application/json"),
                com.example.shop.auth.testing.LambdaEvents.json(Map.of("reason", "fraud")),
                Map.of("iam", Map.of("accessKey", "AKIAIOSFODNN7EXAMPLE", "accountId", "123456789012",
                        "callerId", "AIDAJQABLZS4A3QDU576Q", "principalOrgId", "o-example",
                        "userArn", "arn:aws:iam::123456789012:user/support-ada", "userId", "AIDAJQABLZS4A3QDU576Q")));
        expectRefused(Passkeys.signIn(authenticator));
    }

    @Test
    void garbageCredentialsAreProblemsNeverErrors() {
        Tokens tokens = Api.signIn(Api.existingUser("pk-garbage"));
        for (Object credential : List.of(Map.of(), Map.of("id", "x", "response", Map.of()), "text", 42,
                Map.of("id", "AAAA", "rawId", "AAAA", "type", "public-key",
                        "response", Map.of("clientDataJSON", "e30", "authenticatorData", "AAAA", "signature", "AAAA",
                                "userHandle", "not-a-user"))))  {
            int login = Api.post("/passkeys/login", Map.of("credential", credential)).statusCode();
            assertTrue(login == 400 || login == 401, "login answered " + login + " to " + credential);
            int register = Passkeys.register(tokens.accessToken(), credential instanceof Map<?, ?> m
                    ? castMap(m) : Map.of("x", credential), "x").statusCode();
            assertEquals(400, register, "registration answered " + register + " to " + credential);
        }
        Api.postRaw("/passkeys/login", "application/json", "{\"credential\": \"x\"}").then().statusCode(400);
        Api.postRaw("/passkeys/login", "application/json", "{}").then().statusCode(400);
    }

    @Test
    void aUserHasAtMostTenPasskeys() {
        Tokens tokens = Api.signIn(Api.existingUser("pk-full"));
        Response replaced = Passkeys.registrationOptions(tokens.accessToken());
        for (int i = 0; i < 10; i++) {
            Passkeys.registered(tokens.accessToken());
        }
        Passkeys.registrationOptions(tokens.accessToken()).then().statusCode(409)
                .body("type", equalTo("urn:ecommerce-auth:problem:too-many-passkeys"));
        // newer options replaced the first ones: their challenge works no more
        Passkeys.register(tokens.accessToken(),
                new SoftwareAuthenticator().register(replaced.path("challenge"), replaced.path("user.id")), "11th")
                .then().statusCode(400);
        Api.getSignedIn("/me", tokens.accessToken()).then().body("mfa.passkeys", equalTo(10));
    }

    /** DynamoDB applied a write but its answer was lost: the SDK sends it again, and the service sees its own write. */
    @Test
    void writesWhoseAnswerWasLostStillSucceed() {
        Tokens tokens = Api.signIn(Api.existingUser("pk-lost"));
        FaultProxy dynamodb = MotoServer.PROXIES.get("dynamodb");

        dynamodb.loseAnswers("TransactWriteItems", 1);
        Response options = Passkeys.registrationOptions(tokens.accessToken());
        options.then().statusCode(200);
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        dynamodb.loseAnswers("TransactWriteItems", 1);
        Passkeys.register(tokens.accessToken(),
                authenticator.register(options.path("challenge"), options.path("user.id")), "Lost").then().statusCode(201);

        dynamodb.loseAnswers("TransactWriteItems", 1);
        String challenge = Passkeys.signInChallenge();
        dynamodb.loseAnswers("UpdateItem", 1);
        Passkeys.logIn(authenticator.signIn(challenge)).then().statusCode(200);
        dynamodb.setMode(FaultProxy.Mode.PASS);

        Api.getSignedIn("/me/passkeys", tokens.accessToken()).then().body("passkeys", hasSize(1));
        Passkeys.signIn(authenticator).then().statusCode(200);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static void expectRefused(Response response) {
        response.then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:ecommerce-auth:problem:passkey-sign-in-failed"));
        assertFalse(response.asString().contains("accessToken"));
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
