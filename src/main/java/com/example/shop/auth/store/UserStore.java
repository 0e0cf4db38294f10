package com.example.shop.auth.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * All DynamoDB access. The table holds three kinds of item under the partition key {@code userId}: users
 * (a UUID), email claims ({@code EMAIL#<email>}) and reset tokens ({@code RESET#<sha256>}). Only user items carry
 * {@code email}, so the {@code email-index} GSI holds users only; only reset-token items carry the TTL attribute
 * {@code resetTokenExpiry}, so TTL can never delete a user.
 */
@ApplicationScoped
public class UserStore {

    static final String USER_ID = "userId";
    static final String EMAIL = "email";
    static final String PASSWORD_HASH = "passwordHash";
    static final String NAME = "name";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    static final String RESET_TOKEN = "resetToken";
    static final String FAILED_LOGINS = "failedLogins";
    static final String LOCKED_UNTIL = "lockedUntil";
    static final String PASSWORD_CHANGED_AT = "passwordChangedAt";
    static final String OWNER_ID = "ownerId";
    static final String RESET_TOKEN_EXPIRY = "resetTokenExpiry";

    static final String EMAIL_CLAIM_PREFIX = "EMAIL#";
    static final String RESET_TOKEN_PREFIX = "RESET#";

    private static final String ITEM_IS_NEW = "attribute_not_exists(userId)";
    private static final String ITEM_EXISTS = "attribute_exists(userId)";
    /** Transactions that lose a race with another transaction are retried this often before giving up. */
    private static final int CONFLICT_ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String table;

    public UserStore(DynamoDbClient dynamo, AuthConfig config) {
        this.dynamo = dynamo;
        this.table = config.usersTable();
    }

    /** Writes the user and its email claim together; exactly one of any number of racing signups wins. */
    public void createUser(UserRecord user) {
        Map<String, AttributeValue> userItem = new HashMap<>();
        userItem.put(USER_ID, s(user.userId()));
        userItem.put(EMAIL, s(user.email()));
        userItem.put(PASSWORD_HASH, s(user.passwordHash()));
        userItem.put(NAME, s(user.name()));
        userItem.put(CREATED_AT, s(user.createdAt().toString()));
        userItem.put(UPDATED_AT, s(user.updatedAt().toString()));
        userItem.put(FAILED_LOGINS, n(0));

        Map<String, AttributeValue> claim = Map.of(
                USER_ID, s(EMAIL_CLAIM_PREFIX + user.email()),
                OWNER_ID, s(user.userId()),
                CREATED_AT, s(user.createdAt().toString()));

        List<CancellationReason> reasons = transact(List.of(
                put(userItem, ITEM_IS_NEW),
                put(claim, ITEM_IS_NEW)));
        if (reasons.isEmpty()) {
            return;
        }
        if (conditionFailed(reasons, 1)) {
            throw new EmailAlreadyClaimedException();
        }
        throw unexpected(reasons);
    }

    public Optional<UserRecord> findUserByEmail(String normalisedEmail) {
        return getItem(EMAIL_CLAIM_PREFIX + normalisedEmail)
                .map(claim -> claim.get(OWNER_ID).s())
                .flatMap(this::findUser);
    }

    public Optional<UserRecord> findUser(String userId) {
        return getItem(userId).filter(item -> item.containsKey(EMAIL)).map(UserStore::toUser);
    }

    /** Counts one more consecutive failed login and returns the new count. */
    public int recordFailedLogin(String userId) {
        var response = dynamo.updateItem(b -> b.tableName(table)
                .key(key(userId))
                .updateExpression("ADD failedLogins :one")
                .conditionExpression(ITEM_EXISTS)
                .expressionAttributeValues(Map.of(":one", n(1)))
                .returnValues(ReturnValue.UPDATED_NEW));
        return Integer.parseInt(response.attributes().get(FAILED_LOGINS).n());
    }

    public void lockUntil(String userId, Instant until) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(userId))
                .updateExpression("SET lockedUntil = :until")
                .conditionExpression(ITEM_EXISTS)
                .expressionAttributeValues(Map.of(":until", s(until.toString()))));
    }

    public void clearFailedLogins(String userId) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(userId))
                .updateExpression("SET failedLogins = :zero REMOVE lockedUntil")
                .conditionExpression(ITEM_EXISTS)
                .expressionAttributeValues(Map.of(":zero", n(0))));
    }

    /**
     * Stores a new reset token and makes it the user's only live one: the previous token's item is deleted in the
     * same transaction. Returns false when the user changed meanwhile (another reset won the race).
     */
    public boolean replaceResetToken(UserRecord user, ResetTokenRecord token) {
        Map<String, AttributeValue> tokenItem = Map.of(
                USER_ID, s(RESET_TOKEN_PREFIX + token.tokenHash()),
                OWNER_ID, s(user.userId()),
                RESET_TOKEN_EXPIRY, n(token.expiresAt().getEpochSecond()),
                CREATED_AT, s(token.createdAt().toString()));

        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":new", s(token.tokenHash()));
        String userCondition;
        if (user.resetTokenHash().isPresent()) {
            values.put(":previous", s(user.resetTokenHash().get()));
            userCondition = "resetToken = :previous";
        } else {
            userCondition = "attribute_exists(userId) AND attribute_not_exists(resetToken)";
        }

        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(put(tokenItem, ITEM_IS_NEW));
        writes.add(inTransaction(Update.builder().tableName(table)
                .key(key(user.userId()))
                .updateExpression("SET resetToken = :new")
                .conditionExpression(userCondition)
                .expressionAttributeValues(values)
                .build()));
        user.resetTokenHash().ifPresent(previous -> writes.add(inTransaction(
                Delete.builder().tableName(table).key(key(RESET_TOKEN_PREFIX + previous)).build())));

        List<CancellationReason> reasons = transact(writes);
        if (reasons.isEmpty()) {
            return true;
        }
        if (conditionFailed(reasons, 1)) {
            return false;
        }
        throw unexpected(reasons);
    }

    public Optional<ResetTokenRecord> findResetToken(String tokenHash) {
        return getItem(RESET_TOKEN_PREFIX + tokenHash).map(item -> new ResetTokenRecord(
                tokenHash,
                item.get(OWNER_ID).s(),
                Instant.ofEpochSecond(Long.parseLong(item.get(RESET_TOKEN_EXPIRY).n())),
                Instant.parse(item.get(CREATED_AT).s())));
    }

    /**
     * Consumes the token and sets the new password in one transaction. The token item must still exist and be
     * unexpired, and must still be the user's live token, so of two racing confirms only one can win. Returns false
     * when the token was already used, replaced or expired.
     */
    public boolean completeReset(String userId, String tokenHash, String newPasswordHash, Instant now) {
        Delete consumeToken = Delete.builder().tableName(table)
                .key(key(RESET_TOKEN_PREFIX + tokenHash))
                .conditionExpression("ownerId = :owner AND resetTokenExpiry > :now")
                .expressionAttributeValues(Map.of(":owner", s(userId), ":now", n(now.getEpochSecond())))
                .build();
        Update setPassword = Update.builder().tableName(table)
                .key(key(userId))
                .updateExpression("SET passwordHash = :hash, passwordChangedAt = :now, updatedAt = :now, "
                        + "failedLogins = :zero REMOVE resetToken, lockedUntil")
                .conditionExpression("resetToken = :token")
                .expressionAttributeValues(Map.of(
                        ":hash", s(newPasswordHash),
                        ":now", s(now.toString()),
                        ":zero", n(0),
                        ":token", s(tokenHash)))
                .build();

        List<CancellationReason> reasons = transact(List.of(inTransaction(consumeToken), inTransaction(setPassword)));
        if (reasons.isEmpty()) {
            return true;
        }
        if (conditionFailed(reasons, 0) || conditionFailed(reasons, 1)) {
            return false;
        }
        throw unexpected(reasons);
    }

    /** Withdraws a token that could not be delivered, unless a newer one replaced it meanwhile. */
    public void revokeResetToken(String userId, String tokenHash) {
        transact(List.of(
                inTransaction(Delete.builder().tableName(table).key(key(RESET_TOKEN_PREFIX + tokenHash)).build()),
                inTransaction(Update.builder().tableName(table)
                        .key(key(userId))
                        .updateExpression("REMOVE resetToken")
                        .conditionExpression("resetToken = :token")
                        .expressionAttributeValues(Map.of(":token", s(tokenHash)))
                        .build())));
    }

    /** One read of a key no item can have (user ids are UUIDs, other items carry a prefix), to warm the client. */
    public void warmUp() {
        getItem("WARM-UP");
    }

    private Optional<Map<String, AttributeValue>> getItem(String userId) {
        var response = dynamo.getItem(b -> b.tableName(table).key(key(userId)).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    /**
     * Runs a write transaction, retrying when it lost a race with another transaction. Returns the cancellation
     * reasons when a condition failed, or an empty list on success.
     */
    private List<CancellationReason> transact(List<TransactWriteItem> items) {
        for (int attempt = 1;; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items));
                return List.of();
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (hasCode(reasons, "ConditionalCheckFailed")) {
                    return reasons;
                }
                if (!hasCode(reasons, "TransactionConflict") || attempt >= CONFLICT_ATTEMPTS) {
                    throw e;
                }
                sleepBeforeRetry(attempt);
            }
        }
    }

    private static void sleepBeforeRetry(int attempt) {
        try {
            Thread.sleep((long) (Math.random() * 20 * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", e);
        }
    }

    private static boolean hasCode(List<CancellationReason> reasons, String code) {
        return reasons.stream().anyMatch(r -> code.equals(r.code()));
    }

    private static boolean conditionFailed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static IllegalStateException unexpected(List<CancellationReason> reasons) {
        return new IllegalStateException("transaction cancelled: " + reasons.stream().map(CancellationReason::code).toList());
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(table).item(item).conditionExpression(condition).build())
                .build();
    }

    private static TransactWriteItem inTransaction(Update update) {
        return TransactWriteItem.builder().update(update).build();
    }

    private static TransactWriteItem inTransaction(Delete delete) {
        return TransactWriteItem.builder().delete(delete).build();
    }

    private static UserRecord toUser(Map<String, AttributeValue> item) {
        return new UserRecord(
                item.get(USER_ID).s(),
                item.get(EMAIL).s(),
                item.get(PASSWORD_HASH).s(),
                item.get(NAME).s(),
                Instant.parse(item.get(CREATED_AT).s()),
                Instant.parse(item.get(UPDATED_AT).s()),
                Optional.ofNullable(item.get(RESET_TOKEN)).map(AttributeValue::s),
                item.containsKey(FAILED_LOGINS) ? Integer.parseInt(item.get(FAILED_LOGINS).n()) : 0,
                Optional.ofNullable(item.get(LOCKED_UNTIL)).map(v -> Instant.parse(v.s())),
                Optional.ofNullable(item.get(PASSWORD_CHANGED_AT)).map(v -> Instant.parse(v.s())));
    }

    private static Map<String, AttributeValue> key(String userId) {
        return Map.of(USER_ID, s(userId));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
