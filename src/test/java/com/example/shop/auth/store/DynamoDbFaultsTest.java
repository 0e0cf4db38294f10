package com.example.shop.auth.store;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.FaultProxy.Mode;
import com.example.shop.auth.testing.FaultProxy.Recorded;
import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.FaultProxy;
import com.example.shop.auth.testing.Table;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What real DynamoDB does that moto, one request at a time and lenient, never shows: writes rejected because a
 * transaction holds the item, transactions cancelled by a conflict, BatchGetItem leaving keys unprocessed, and
 * requests rejected as invalid. The fault proxy answers in DynamoDB's place; each test checks what the user sees.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class DynamoDbFaultsTest {

    /** Upper bound for a 503: the SDK's api-call-timeout (4 s) plus slack for a loaded CI machine. */
    private static final long BOUND_MILLIS = 9_000;
    private static final String INTERNAL_ERROR = "urn:ecommerce-auth:problem:internal-error";
    private static final Path LOG = Path.of("target/quarkus-test.log");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DynamoDbClient dynamo;

    @AfterEach
    void healEverything() {
        MotoServer.PROXIES.values().forEach(proxy -> proxy.setMode(Mode.PASS));
    }

    // ---- single-item writes on an item a transaction is writing: TransactionConflictException

    @Test
    void aFailedLoginWhoseCounterWriteConflictsTwiceIsStillA401AndCounted() {
        var user = Api.existingUser("conflict-twice");
        String email = user.get("email");
        String userId = userId(email);
        dynamodb().conflictSingleItemWrites(2);

        Api.login(email, Api.newPassword()).then().statusCode(401)
                .body("type", equalTo("urn:ecommerce-auth:problem:invalid-credentials"));

        assertEquals(3, dynamodb().recorded("UpdateItem").size(),
                "the SDK sent the rejected counter write again until it went through");
        dynamodb().setMode(Mode.PASS);
        assertEquals("1", Table.item(dynamo, userId).orElseThrow().get("failedLogins").n(), "counted once");
        // four more make the fifth consecutive failure, which locks the account: the conflicted one counted
        for (int i = 0; i < 4; i++) {
            Api.login(email, Api.newPassword()).then().statusCode(401);
        }
        Api.login(email, user.get("password")).then().statusCode(429);
    }

    @Test
    void aFailedLoginWhoseCounterWriteAlwaysConflictsIsA503NotA500() {
        var user = Api.existingUser("conflict-always");
        String email = user.get("email");
        String userId = userId(email);
        dynamodb().conflictSingleItemWrites(FaultProxy.ALWAYS);

        expectUnavailable(() -> Api.login(email, Api.newPassword()));

        int attempts = dynamodb().recorded("UpdateItem").size();
        // DynamoDB's own SDK strategy (9 attempts, within the 4 s api-call-timeout), not the SDK-wide 3
        assertTrue(attempts > 3 && attempts <= 9, "the SDK retried, boundedly, before giving up: " + attempts);
        dynamodb().setMode(Mode.PASS);
        assertEquals("0", Table.item(dynamo, userId).orElseThrow().get("failedLogins").n(),
                "every write was rejected, so nothing was counted");
        Api.login(email, user.get("password")).then().statusCode(200);
    }

    // ---- transactions cancelled by a conflict: the store retries them

    @Test
    void aLoginWhoseSessionTransactionConflictsTwiceSucceeds() {
        var user = Api.existingUser("tx-conflict-twice");
        dynamodb().cancelTransactions("TransactionConflict", 2);

        Response login = Api.login(user.get("email"), user.get("password"));

        login.then().statusCode(200);
        assertEquals(3, dynamodb().recorded("TransactWriteItems").size(), "two cancelled, the third went through");
        dynamodb().setMode(Mode.PASS);
        Api.Tokens tokens = Api.Tokens.of(login);
        Api.getSignedIn("/me/sessions", tokens.accessToken()).then().statusCode(200).body("sessions.size()", equalTo(1));
    }

    // ---- a write applied whose answer was lost: the SDK sends it again, and its conditions then fail on the
    // ---- write itself; the operation must see its own write, not a race it lost

    @Test
    void aSignupWhoseTransactionAnswerIsLostStillCreatesTheAccount() {
        String email = Api.uniqueEmail("lost-signup");
        String password = Api.newPassword();
        dynamodb().loseAnswers("TransactWriteItems", 1);

        Api.signup(email, password, "Lost Answer").then().statusCode(201);
        dynamodb().setMode(Mode.PASS);

        Api.login(email, password).then().statusCode(200);
    }

    @Test
    void aLoginWhoseSessionTransactionAnswerIsLostStillSignsIn() {
        var user = Api.existingUser("lost-login");
        dynamodb().loseAnswers("TransactWriteItems", 1);

        Api.Tokens tokens = Api.signIn(user);
        dynamodb().setMode(Mode.PASS);

        Api.getSignedIn("/me", tokens.accessToken()).then().statusCode(200);
        Api.refresh(tokens.refreshToken()).then().statusCode(200);
    }

    @Test
    void aResetWhoseTokenTransactionAnswerIsLostStillMailsAWorkingLink() {
        var user = Api.existingUser("lost-reset");
        dynamodb().loseAnswers("TransactWriteItems", 1);

        Api.requestReset(user.get("email")).then().statusCode(202);
        dynamodb().setMode(Mode.PASS);

        String password = Api.newPassword();
        Api.confirmReset(Mailbox.latestResetToken(user.get("email")), password).then().statusCode(204);
        Api.login(user.get("email"), password).then().statusCode(200);
    }

    @Test
    void aPasswordChangeWhoseAnswerIsLostStillSucceeds() {
        var user = Api.existingUser("lost-change");
        Api.Tokens tokens = Api.signIn(user);
        String next = Api.newPassword();
        dynamodb().loseAnswers("TransactWriteItems", 1);

        Api.changePassword(tokens.accessToken(), user.get("password"), next).then().statusCode(204);
        dynamodb().setMode(Mode.PASS);

        Api.login(user.get("email"), next).then().statusCode(200);
    }

    @Test
    void aLoginWhoseSessionTransactionAlwaysConflictsIsA503NotA500() {
        var user = Api.existingUser("tx-conflict-always");
        dynamodb().cancelTransactions("TransactionConflict", FaultProxy.ALWAYS);

        expectUnavailable(() -> Api.login(user.get("email"), user.get("password")));

        assertTrue(dynamodb().recorded("TransactWriteItems").size() > 1, "the store retried before giving up");
        dynamodb().setMode(Mode.PASS);
        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
    }

    // ---- request shapes real DynamoDB rejects and moto accepts

    /**
     * Waits on the store: {@code UserStore.deleteAccount} sets ExpressionAttributeValues on the user's Delete even
     * when its condition uses no placeholder, which real DynamoDB rejects (ValidationException) and moto accepts.
     * The condition needs none for an account with no live one-time link whose item has no session version (an
     * item written before versions were counted): its condition is then only attribute_exists/not_exists tests.
     */
    @Test
    void deletingAnAccountSendsNoEmptyExpressionAttributeValues() {
        var user = Api.existingUser("delete-shape");
        String email = user.get("email");
        Api.confirmVerification(Mailbox.latestVerificationToken(email)).then().statusCode(204);
        Api.Tokens tokens = Api.signIn(user);
        String userId = userId(email);
        dynamo.updateItem(b -> b.tableName(Table.NAME).key(Map.of("userId", AttributeValue.fromS(userId)))
                .updateExpression("REMOVE sessionsVersion"));
        dynamodb().setMode(Mode.RECORD);

        Api.deleteAccount(tokens.accessToken(), user.get("password")).then().statusCode(204);

        List<Recorded> sent = dynamodb().recorded();
        assertTrue(sent.stream().anyMatch(r -> r.operation().equals("TransactWriteItems")), "the deletion was sent");
        for (Recorded request : sent) {
            List<String> empty = emptyExpressionAttributeValues(request.body());
            assertTrue(empty.isEmpty(), request.operation() + " sends an empty ExpressionAttributeValues at " + empty
                    + ", which DynamoDB rejects with a ValidationException");
        }
        dynamodb().setMode(Mode.PASS);
        assertTrue(Table.item(dynamo, userId).isEmpty(), "the account is gone");
    }

    // ---- BatchGetItem answering in part

    /**
     * The 200 with every session passes today; the spacing waits on the store, which asks again at once. It expects
     * a wait before each re-ask that grows with each one even with its jitter (e.g. exponential from about 20 ms
     * with equal jitter), as DynamoDB asks of callers given UnprocessedKeys.
     */
    @Test
    void aSignedInReadAsksAgainForUnprocessedKeysAfterGrowingWaits() {
        var user = Api.existingUser("batch-partial");
        Api.Tokens tokens = Api.signIn(user);
        dynamodb().answerBatchGetsInPart(3);

        // GET /me reads the session and the user in one BatchGetItem, and nothing else
        Api.getSignedIn("/me", tokens.accessToken()).then().statusCode(200)
                .body("email", equalTo(user.get("email")));

        List<Recorded> asks = dynamodb().recorded("BatchGetItem");
        assertEquals(4, asks.size(), "three partial answers, then the rest");
        List<Long> waits = new ArrayList<>();
        for (int i = 1; i < asks.size(); i++) {
            waits.add((asks.get(i).nanoTime() - asks.get(i - 1).answeredNanoTime()) / 1_000_000);
        }
        long total = waits.stream().mapToLong(Long::longValue).sum();
        // from each partial answer to the next ask: the caller's own wait, not moto's time
        assertTrue(total >= 50, "re-asks waited " + waits + " ms: they must back off, not ask again at once");
        assertTrue(waits.get(2) > waits.get(0), "the wait grows from one re-ask to the next: " + waits + " ms");
    }

    // ---- invalid requests are our bug: a 500 with an error id, never a 503 that invites retries

    @Test
    void aValidationExceptionIsA500WhoseErrorIdIsInTheLog() throws Exception {
        Api.Tokens tokens = Api.signIn(Api.existingUser("invalid-request"));
        dynamodb().rejectAsInvalid("UpdateItem");

        Response rename = Api.signedIn("PATCH", "/me", tokens.accessToken(), Map.of("name", "Renamed"));

        String errorId = expectInternalError(rename);
        String logLine = logLineWith(errorId).orElseThrow(() -> new AssertionError("no log line has " + errorId));
        assertTrue(logLine.contains("ValidationException"), logLine);
    }

    @Test
    void aTransactionCancelledAsInvalidIsA500NotA503() throws Exception {
        var user = Api.existingUser("invalid-tx");
        dynamodb().cancelTransactions("ValidationError", FaultProxy.ALWAYS);

        Response login = Api.login(user.get("email"), user.get("password"));

        String errorId = expectInternalError(login);
        assertEquals(1, dynamodb().recorded("TransactWriteItems").size(), "an invalid transaction is not sent again");
        assertTrue(logLineWith(errorId).isPresent(), "the log has the error id " + errorId);
        dynamodb().setMode(Mode.PASS);
        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
    }

    // ---- helpers

    private String userId(String email) {
        return Table.usersWithEmail(dynamo, email).get(0).get("userId").s();
    }

    private static String expectInternalError(Response response) {
        response.then().statusCode(500)
                .contentType("application/problem+json")
                .header("Retry-After", nullValue())
                .body("type", equalTo(INTERNAL_ERROR))
                .body("status", equalTo(500));
        String errorId = response.path("errorId");
        assertTrue(errorId != null && errorId.matches("[0-9a-f-]{36}"), "a random error id: " + errorId);
        return errorId;
    }

    /** The application log line (JSON) that carries the error id; the file handler may lag a moment. */
    private static Optional<String> logLineWith(String errorId) throws IOException, InterruptedException {
        for (int i = 0; i < 20; i++) {
            Optional<String> line = Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains(errorId)).findFirst();
            if (line.isPresent()) {
                return line;
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    /** JSON paths of every ExpressionAttributeValues in the request body that is an empty object. */
    private static List<String> emptyExpressionAttributeValues(String body) {
        List<String> found = new ArrayList<>();
        try {
            collectEmpty(JSON.readTree(body), "$", found);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
        return found;
    }

    private static void collectEmpty(JsonNode node, String path, List<String> found) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = path + "." + field.getKey();
                if (field.getKey().equals("ExpressionAttributeValues") && field.getValue().isObject()
                        && field.getValue().isEmpty()) {
                    found.add(at);
                }
                collectEmpty(field.getValue(), at, found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectEmpty(node.get(i), path + "[" + i + "]", found);
            }
        }
    }

    private static void expectUnavailable(Supplier<Response> call) {
        long started = System.nanoTime();
        Response response = call.get();
        long millis = (System.nanoTime() - started) / 1_000_000;
        response.then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("2"))
                .body("status", equalTo(503));
        assertTrue(millis < BOUND_MILLIS, "answered in " + millis + " ms");
    }

    private static FaultProxy dynamodb() {
        return MotoServer.PROXIES.get("dynamodb");
    }
}
