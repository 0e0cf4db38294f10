package com.example.shop.auth.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.BusyException;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The users table and what every store does with it: consistent reads, batch reads that back off, transactions
 * retried on conflicts, and operations retried when they lose a race. Each kind of item has its own store class in
 * this package.
 */
@ApplicationScoped
class ItemTable {

    static final String USER_ID = Attribute.USER_ID.attributeName();
    static final String OWNER_ID = Attribute.OWNER_ID.attributeName();
    static final String CREATED_AT = Attribute.CREATED_AT.attributeName();
    static final String TTL = Attribute.TTL.attributeName();

    static final Condition ITEM_IS_NEW = Condition.of("attribute_not_exists(userId)");
    static final Condition ITEM_EXISTS = Condition.of("attribute_exists(userId)");
    /** DynamoDB's limit on the actions of one transaction. */
    static final int MAX_TRANSACTION_ITEMS = 100;
    /** Transactions that lose a race with another transaction are retried this often before giving up. */
    private static final int CONFLICT_ATTEMPTS = 5;
    /** An operation that reads, then writes on the condition that nothing changed, re-reads this often. */
    private static final int RACE_ATTEMPTS = 3;
    /** BatchGetItem may leave keys unprocessed under load; they are asked again this often, backing off. */
    private static final int BATCH_ATTEMPTS = 5;
    private static final long BACKOFF_BASE_MILLIS = 25;

    private final DynamoDbClient dynamo;
    private final String name;

    @Inject
    ItemTable(DynamoDbClient dynamo, AuthConfig config) {
        this(dynamo, config.usersTable());
    }

    ItemTable(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.name = tableName;
    }

    String name() {
        return name;
    }

    Optional<Map<String, AttributeValue>> get(String key) {
        var response = dynamo.getItem(b -> b.tableName(name).key(key(key)).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    /**
     * Strongly consistent reads of up to 100 items in one round trip (more when DynamoDB leaves keys unprocessed,
     * asked again with exponential backoff and jitter). Returns the items found, by key.
     */
    Map<String, Map<String, AttributeValue>> getAll(List<String> keys) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        Map<String, KeysAndAttributes> request = Map.of(name, KeysAndAttributes.builder()
                .keys(keys.stream().distinct().map(ItemTable::key).toList())
                .consistentRead(true)
                .build());
        for (int attempt = 1; !request.isEmpty(); attempt++) {
            if (attempt > BATCH_ATTEMPTS) {
                throw new BusyException("a batch read", BATCH_ATTEMPTS);
            }
            if (attempt > 1) {
                backOff(attempt - 1);
            }
            Map<String, KeysAndAttributes> asked = request;
            var response = dynamo.batchGetItem(b -> b.requestItems(asked));
            response.responses().getOrDefault(name, List.of()).forEach(item -> found.put(item.get(USER_ID).s(), item));
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return found;
    }

    /** One page of a scan of an index, starting after {@code after}. */
    ScanResponse scanIndex(String index, int limit, Optional<Map<String, AttributeValue>> after) {
        return dynamo.scan(b -> {
            b.tableName(name).indexName(index).limit(limit);
            after.ifPresent(b::exclusiveStartKey);
        });
    }

    /** A single-item update; false when its condition failed. */
    boolean updateIf(String key, String updateExpression, Map<String, AttributeValue> values, Condition condition) {
        return updateReturning(key, updateExpression, values, condition, null).isPresent();
    }

    /** A single-item update returning the item as written; empty when its condition failed. */
    Optional<Map<String, AttributeValue>> updateReturning(String key, String updateExpression,
            Map<String, AttributeValue> values, Condition condition, Map<String, String> names) {
        UpdateItemRequest.Builder request = UpdateItemRequest.builder().tableName(name).key(key(key))
                .updateExpression(updateExpression)
                .returnValues(ReturnValue.ALL_NEW);
        if (names != null) {
            request.expressionAttributeNames(names);
        }
        condition.applyTo(request, values);
        try {
            return Optional.of(dynamo.updateItem(request.build()).attributes());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * A single-item update without a condition, for writes that cannot race (an atomic {@code ADD}); returns the
     * attributes it changed, as written ({@code UPDATED_NEW}).
     */
    Map<String, AttributeValue> updateReturningUpdated(String key, String updateExpression,
            Map<String, String> names, Map<String, AttributeValue> values) {
        return dynamo.updateItem(b -> b.tableName(name).key(key(key))
                .updateExpression(updateExpression)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.UPDATED_NEW)).attributes();
    }

    /**
     * Runs an operation that reads items, then writes on the condition that they did not change meanwhile. An
     * attempt returns empty when it lost that race; it is then run again (reading afresh), up to a bound.
     */
    <T> T retryingRaces(String operation, Supplier<Optional<T>> attempt) {
        for (int i = 1; i <= RACE_ATTEMPTS; i++) {
            Optional<T> result = attempt.get();
            if (result.isPresent()) {
                return result.get();
            }
        }
        throw new BusyException(operation, RACE_ATTEMPTS);
    }

    /**
     * Runs a write transaction, retrying when it lost a race with another transaction. Returns the cancellation
     * reasons when a condition failed, or an empty list on success.
     */
    List<CancellationReason> transact(List<TransactWriteItem> items) {
        if (items.size() > MAX_TRANSACTION_ITEMS) {
            throw new IllegalStateException("a transaction of " + items.size() + " items exceeds DynamoDB's limit");
        }
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
                backOff(attempt);
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

    TransactWriteItem put(Map<String, AttributeValue> item, Condition condition) {
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(name).item(item).conditionExpression(condition.expression()).build())
                .build();
    }

    TransactWriteItem delete(String key) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(name).key(key(key)).build()).build();
    }

    TransactWriteItem delete(String key, Condition condition) {
        return TransactWriteItem.builder()
                .delete(condition.applyTo(Delete.builder().tableName(name).key(key(key))).build())
                .build();
    }

    TransactWriteItem update(String key, String updateExpression, Map<String, AttributeValue> values,
            Condition condition) {
        Update.Builder update = Update.builder().tableName(name).key(key(key)).updateExpression(updateExpression);
        return TransactWriteItem.builder().update(condition.applyTo(update, values).build()).build();
    }

    /** The write at {@code index} of a cancelled transaction failed its condition. */
    static boolean conditionFailed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static IllegalStateException unexpected(List<CancellationReason> reasons) {
        return new IllegalStateException("transaction cancelled: " + reasons.stream().map(CancellationReason::code).toList());
    }

    static Map<String, AttributeValue> key(String key) {
        return Map.of(USER_ID, s(key));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue ss(List<String> values) {
        return AttributeValue.fromSs(new ArrayList<>(values));
    }

    static long longOf(Map<String, AttributeValue> item, Attribute attribute) {
        AttributeValue value = item.get(attribute.attributeName());
        return value == null ? 0 : Long.parseLong(value.n());
    }

    static Optional<String> stringOf(Map<String, AttributeValue> item, Attribute attribute) {
        return Optional.ofNullable(item.get(attribute.attributeName())).map(AttributeValue::s);
    }

    static String required(Map<String, AttributeValue> item, Attribute attribute) {
        return item.get(attribute.attributeName()).s();
    }

    private static boolean hasCode(List<CancellationReason> reasons, String code) {
        return reasons.stream().anyMatch(r -> code.equals(r.code()));
    }

    /** Equal jitter: a random wait between half and all of base × 2^(retry − 1), so waits grow but never align. */
    private static void backOff(int retry) {
        long ceiling = BACKOFF_BASE_MILLIS << Math.min(retry - 1, 6);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
