package com.example.shop.auth.store;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.FaultProxy.Mode;
import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.FaultProxy;
import com.example.shop.auth.testing.Table;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Outages and throttling between the application and DynamoDB, KMS or SES: a bounded 503 with Retry-After, nothing
 * half-written, and the same requests succeed once the fault clears.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class FaultsTest {

    /** Upper bound for a 503: the SDK's api-call-timeout (4 s) plus slack for a loaded CI machine. */
    private static final long BOUND_MILLIS = 9_000;

    @Inject
    DynamoDbClient dynamo;

    @AfterEach
    void healEverything() {
        MotoServer.PROXIES.values().forEach(proxy -> proxy.setMode(Mode.PASS));
    }

    @Test
    void dynamoDbDownGivesABounded503AndTheSameSignupWorksAfterwards() {
        String email = Api.uniqueEmail("down");
        String password = Api.newPassword();
        proxy("dynamodb").setMode(Mode.REFUSE);

        expectUnavailable(() -> Api.signup(email, password, "Down"));

        proxy("dynamodb").setMode(Mode.PASS);
        assertTrue(Table.usersWithEmail(dynamo, email).isEmpty(), "nothing written while down");
        Api.signup(email, password, "Down").then().statusCode(201);
        Api.login(email, password).then().statusCode(200);
    }

    @Test
    void aStalledDynamoDbGivesA503WithinTheSdkTimeout() {
        var user = Api.existingUser("stall");
        proxy("dynamodb").setMode(Mode.HANG);

        expectUnavailable(() -> Api.login(user.get("email"), user.get("password")));

        proxy("dynamodb").setMode(Mode.PASS);
        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
    }

    @Test
    void throttlingIsRetriedWithBackoffThenA503() {
        String email = Api.uniqueEmail("throttled");
        proxy("dynamodb").setMode(Mode.THROTTLE);

        expectUnavailable(() -> Api.signup(email, Api.newPassword(), "Throttled"));
        assertTrue(proxy("dynamodb").requestsSinceModeSwitch() > 2, "the SDK retried before giving up");

        proxy("dynamodb").setMode(Mode.PASS);
        Api.signup(email, Api.newPassword(), "Throttled").then().statusCode(201);
    }

    @Test
    void lostResponsesNeverLeaveAUserWithoutItsClaimOrAClaimWithoutItsUser() {
        List<String> emails = new ArrayList<>();
        proxy("dynamodb").setMode(Mode.DROP_RESPONSE);
        for (int i = 0; i < 3; i++) {
            String email = Api.uniqueEmail("lost");
            emails.add(email);
            expectUnavailable(() -> Api.signup(email, Api.newPassword(), "Lost"));
        }
        proxy("dynamodb").setMode(Mode.PASS);

        for (String email : emails) {
            boolean user = !Table.usersWithEmail(dynamo, email).isEmpty();
            boolean claim = Table.item(dynamo, "EMAIL#" + email).isPresent();
            assertEquals(user, claim, "user and claim exist together or not at all for " + email);
        }
        assertEveryClaimHasItsUserAndEveryUserItsClaim();
    }

    @Test
    void kmsDownMakesLoginA503NotA500() {
        var user = Api.existingUser("kmsdown");
        proxy("kms").setMode(Mode.REFUSE);
        // the public key may already be cached, but every login needs a fresh signature
        expectUnavailable(() -> Api.login(user.get("email"), user.get("password")));
        proxy("kms").setMode(Mode.PASS);
        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
    }

    @Test
    void sesDownDuringAResetStillAnswers202AndLeavesNoUsableToken() {
        var user = Api.existingUser("sesdown");
        String email = user.get("email");
        String userId = Table.usersWithEmail(dynamo, email).get(0).get("userId").s();
        int resetItemsBefore = Table.itemsWithPrefix(dynamo, "RESET#").size();
        proxy("ses").setMode(Mode.REFUSE);

        Api.requestReset(email).then().statusCode(202);

        proxy("ses").setMode(Mode.PASS);
        assertTrue(Mailbox.withSubject(email, "Reset your password").isEmpty());
        assertEquals(resetItemsBefore, Table.itemsWithPrefix(dynamo, "RESET#").size(), "the token was withdrawn");
        assertFalse(Table.item(dynamo, userId).orElseThrow().containsKey("resetToken"));

        Api.requestReset(email).then().statusCode(202);
        String newPassword = Api.newPassword();
        Api.confirmReset(Mailbox.latestResetToken(email), newPassword).then().statusCode(204);
        Api.login(email, newPassword).then().statusCode(200);
    }

    @Test
    void sesDownAtSignupStillCreatesTheAccountAndTheLinkCanBeAskedForAgain() {
        String email = Api.uniqueEmail("ses-signup");
        String password = Api.newPassword();
        proxy("ses").setMode(Mode.REFUSE);
        Api.signup(email, password, "No Mail").then().statusCode(201);
        proxy("ses").setMode(Mode.PASS);
        String userId = Table.usersWithEmail(dynamo, email).get(0).get("userId").s();
        assertFalse(Table.item(dynamo, userId).orElseThrow().containsKey("verifyToken"), "the unsent link was withdrawn");

        Api.requestVerification(email).then().statusCode(202);
        Api.confirmVerification(Mailbox.latestVerificationToken(email)).then().statusCode(204);
    }

    @Test
    void dynamoDbDownDuringARefreshRotatesNothing() {
        Api.Tokens tokens = Api.signIn(Api.existingUser("refresh-down"));
        for (Mode mode : new Mode[] { Mode.REFUSE, Mode.DROP_RESPONSE }) {
            proxy("dynamodb").setMode(mode);
            expectUnavailable(() -> Api.refresh(tokens.refreshToken()));
            proxy("dynamodb").setMode(Mode.PASS);
        }
        Api.Tokens next = Api.Tokens.of(Api.refresh(tokens.refreshToken()).then().statusCode(200).extract().response());
        Api.getSignedIn("/me/sessions", next.accessToken()).then().statusCode(200);
    }

    @Test
    void dynamoDbDownMakesAnAuthenticatedRouteA503NotA401() {
        Api.Tokens tokens = Api.signIn(Api.existingUser("bearer-down"));
        proxy("dynamodb").setMode(Mode.REFUSE);
        expectUnavailable(() -> Api.getSignedIn("/me/sessions", tokens.accessToken()));
        proxy("dynamodb").setMode(Mode.PASS);
        Api.getSignedIn("/me/sessions", tokens.accessToken()).then().statusCode(200);
    }

    private void assertEveryClaimHasItsUserAndEveryUserItsClaim() {
        List<Map<String, AttributeValue>> items = Table.items(dynamo);
        Set<String> claimed = items.stream().filter(i -> i.get("userId").s().startsWith("EMAIL#"))
                .map(i -> i.get("userId").s().substring("EMAIL#".length()) + " " + i.get("ownerId").s())
                .collect(Collectors.toSet());
        Set<String> users = items.stream().filter(i -> i.containsKey("email"))
                .map(i -> i.get("email").s() + " " + i.get("userId").s())
                .collect(Collectors.toSet());
        assertEquals(claimed, users);
    }

    private static void expectUnavailable(java.util.function.Supplier<Response> call) {
        long started = System.nanoTime();
        Response response = call.get();
        long millis = (System.nanoTime() - started) / 1_000_000;
        response.then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("2"))
                .body("status", equalTo(503));
        assertTrue(millis < BOUND_MILLIS, "answered in " + millis + " ms");
    }

    private static FaultProxy proxy(String service) {
        return MotoServer.PROXIES.get(service);
    }
}
