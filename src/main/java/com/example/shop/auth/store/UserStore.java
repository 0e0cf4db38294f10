package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.CREATED_AT;
import static com.example.shop.auth.store.ItemTable.ITEM_EXISTS;
import static com.example.shop.auth.store.ItemTable.ITEM_IS_NEW;
import static com.example.shop.auth.store.ItemTable.OWNER_ID;
import static com.example.shop.auth.store.ItemTable.USER_ID;
import static com.example.shop.auth.store.ItemTable.key;
import static com.example.shop.auth.store.ItemTable.longOf;
import static com.example.shop.auth.store.ItemTable.n;
import static com.example.shop.auth.store.ItemTable.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Users (partition key: a UUID) and their email claims ({@code EMAIL#<email>}), which make emails unique. Only user
 * items carry {@code email}, so the {@code email-index} GSI holds users only, and a user item never carries the TTL
 * attribute, so TTL can never delete a user.
 */
@ApplicationScoped
public class UserStore {

    static final String EMAIL = "email";
    static final String PASSWORD_HASH = "passwordHash";
    static final String NAME = "name";
    static final String UPDATED_AT = "updatedAt";
    static final String RESET_TOKEN = "resetToken";
    static final String FAILED_LOGINS = "failedLogins";
    static final String LOCKED_UNTIL = "lockedUntil";
    static final String PASSWORD_CHANGED_AT = "passwordChangedAt";
    static final String EMAIL_VERIFIED_AT = "emailVerifiedAt";
    static final String SESSION_IDS = "sessionIds";
    static final String SESSIONS_VERSION = "sessionsVersion";

    static final String EMAIL_CLAIM_PREFIX = "EMAIL#";

    private final ItemTable table;

    UserStore(ItemTable table) {
        this.table = table;
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

        var writes = List.of(table.put(userItem, ITEM_IS_NEW), table.put(claim, ITEM_IS_NEW));
        if (!table.transactUnlessConditionFails(writes, 1)) {
            throw new EmailAlreadyClaimedException();
        }
    }

    public Optional<UserRecord> findUserByEmail(String normalisedEmail) {
        return table.get(EMAIL_CLAIM_PREFIX + normalisedEmail)
                .map(claim -> claim.get(OWNER_ID).s())
                .flatMap(this::findUser);
    }

    public Optional<UserRecord> findUser(String userId) {
        return table.get(userId).filter(item -> item.containsKey(EMAIL)).map(UserStore::toUser);
    }

    /** Counts one more consecutive failed login and returns the new count. */
    public int recordFailedLogin(String userId) {
        var response = table.dynamo().updateItem(b -> b.tableName(table.name())
                .key(key(userId))
                .updateExpression("ADD failedLogins :one")
                .conditionExpression(ITEM_EXISTS)
                .expressionAttributeValues(Map.of(":one", n(1)))
                .returnValues(ReturnValue.UPDATED_NEW));
        return Integer.parseInt(response.attributes().get(FAILED_LOGINS).n());
    }

    public void lockUntil(String userId, Instant until) {
        table.dynamo().updateItem(b -> b.tableName(table.name())
                .key(key(userId))
                .updateExpression("SET lockedUntil = :until")
                .conditionExpression(ITEM_EXISTS)
                .expressionAttributeValues(Map.of(":until", s(until.toString()))));
    }

    public void clearFailedLogins(String userId) {
        table.dynamo().updateItem(b -> b.tableName(table.name())
                .key(key(userId))
                .updateExpression("SET failedLogins = :zero REMOVE lockedUntil")
                .conditionExpression(ITEM_EXISTS)
                .expressionAttributeValues(Map.of(":zero", n(0))));
    }

    /** One read of a key no item can have (user ids are UUIDs, other items carry a prefix), to warm the client. */
    public void warmUp() {
        table.get("WARM-UP");
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
                (int) longOf(item, FAILED_LOGINS),
                instant(item, LOCKED_UNTIL),
                instant(item, PASSWORD_CHANGED_AT),
                instant(item, EMAIL_VERIFIED_AT),
                item.containsKey(SESSION_IDS) ? Set.copyOf(item.get(SESSION_IDS).ss()) : Set.of(),
                longOf(item, SESSIONS_VERSION));
    }

    private static Optional<Instant> instant(Map<String, AttributeValue> item, String attribute) {
        return Optional.ofNullable(item.get(attribute)).map(v -> Instant.parse(v.s()));
    }
}
