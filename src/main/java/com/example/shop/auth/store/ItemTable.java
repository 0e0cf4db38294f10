package com.example.shop.auth.store;

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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The users table and what every store does with it: consistent reads, transactions retried on conflicts, and the
 * attributes that several kinds of item share. Each kind of item has its own store class in this package.
 */
@ApplicationScoped
class ItemTable {

    static final String USER_ID = "userId";
    static final String OWNER_ID = "ownerId";
    static final String CREATED_AT = "createdAt";
    /** The table's TTL attribute (epoch seconds): carried by every expiring item, never by a user. */
    static final String TTL = "resetTokenExpiry";

    static final String ITEM_IS_NEW = "attribute_not_exists(userId)";
    static final String ITEM_EXISTS = "attribute_exists(userId)";
    /** Transactions that lose a race with another transaction are retried this often before giving up. */
    private static final int CONFLICT_ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String name;

    ItemTable(DynamoDbClient dynamo, AuthConfig config) {
        this.dynamo = dynamo;
        this.name = config.usersTable();
    }

    /** For single-item writes; a client proxy has no fields, so other beans go through these methods. */
    DynamoDbClient dynamo() {
        return dynamo;
    }

    String name() {
        return name;
    }

    Optional<Map<String, AttributeValue>> get(String userId) {
        var response = dynamo.getItem(b -> b.tableName(name).key(key(userId)).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    /**
     * Runs a write transaction, retrying when it lost a race with another transaction. Returns the cancellation
     * reasons when a condition failed, or an empty list on success.
     */
    List<CancellationReason> transact(List<TransactWriteItem> items) {
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

    /**
     * Runs a write transaction; returns false when the condition of one of the writes at {@code mayFail} failed
     * (the race it guards against was lost), and throws when any other did.
     */
    boolean transactUnlessConditionFails(List<TransactWriteItem> items, int... mayFail) {
        List<CancellationReason> reasons = transact(items);
        if (reasons.isEmpty()) {
            return true;
        }
        for (int index : mayFail) {
            if (conditionFailed(reasons, index)) {
                return false;
            }
        }
        throw unexpected(reasons);
    }

    /** Like {@link #transact}, for writes whose conditions cannot fail but for a fault. */
    void transactOrThrow(List<TransactWriteItem> items) {
        List<CancellationReason> reasons = transact(items);
        if (!reasons.isEmpty()) {
            throw unexpected(reasons);
        }
    }

    TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(name).item(item).conditionExpression(condition).build())
                .build();
    }

    TransactWriteItem delete(String userId) {
        return inTransaction(Delete.builder().tableName(name).key(key(userId)).build());
    }

    Update.Builder update(String userId) {
        return Update.builder().tableName(name).key(key(userId));
    }

    static TransactWriteItem inTransaction(Update update) {
        return TransactWriteItem.builder().update(update).build();
    }

    static TransactWriteItem inTransaction(Delete delete) {
        return TransactWriteItem.builder().delete(delete).build();
    }

    private static boolean conditionFailed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static IllegalStateException unexpected(List<CancellationReason> reasons) {
        return new IllegalStateException("transaction cancelled: " + reasons.stream().map(CancellationReason::code).toList());
    }

    static Map<String, AttributeValue> key(String userId) {
        return Map.of(USER_ID, s(userId));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static long longOf(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private static boolean hasCode(List<CancellationReason> reasons, String code) {
        return reasons.stream().anyMatch(r -> code.equals(r.code()));
    }

    private static void sleepBeforeRetry(int attempt) {
        try {
            Thread.sleep((long) (Math.random() * 20 * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", e);
        }
    }
}
