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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

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
    static final String VERIFY_TOKEN = "verifyToken";
    static final String FAILED_LOGINS = "failedLogins";
    static final String LOCKED_UNTIL = "lockedUntil";
    static final String PASSWORD_CHANGED_AT = "passwordChangedAt";
    static final String EMAIL_VERIFIED_AT = "emailVerifiedAt";
    static final String SESSION_IDS = "sessionIds";
    static final String SESSIONS_VERSION = "sessionsVersion";

    public static final String EMAIL_CLAIM_PREFIX = "EMAIL#";

    private final ItemTable table;
    private final SessionStore sessions;

    UserStore(ItemTable table, SessionStore sessions) {
        this.table = table;
        this.sessions = sessions;
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

    /** Sets the display name; empty when the user no longer exists. */
    public Optional<UserRecord> rename(String userId, String name, Instant now) {
        try {
            var response = table.dynamo().updateItem(b -> b.tableName(table.name())
                    .key(key(userId))
                    .updateExpression("SET #name = :name, updatedAt = :now")
                    .conditionExpression("attribute_exists(email)")
                    .expressionAttributeNames(Map.of("#name", NAME))
                    .expressionAttributeValues(Map.of(":name", s(name), ":now", s(now.toString())))
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(toUser(response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * Sets the new password hash and ends every session of the user but {@code keptSessionId}, in one transaction;
     * a pending reset link stops working too. Returns false when the user changed meanwhile (its password or its
     * sessions): the caller reads it again.
     */
    public boolean changePassword(UserRecord user, String keptSessionId, String newPasswordHash, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":old", s(user.passwordHash()));
        values.put(":hash", s(newPasswordHash));
        values.put(":now", s(now.toString()));
        values.put(":zero", n(0));
        values.put(":kept", AttributeValue.fromSs(List.of(keptSessionId)));
        values.put(":nextVersion", SessionStore.nextSessionsVersion(user));
        String sessionsUnchanged = SessionStore.sessionsUnchanged(user, values);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(ItemTable.inTransaction(table.update(user.userId())
                .updateExpression("SET passwordHash = :hash, passwordChangedAt = :now, updatedAt = :now, "
                        + "failedLogins = :zero, sessionIds = :kept, sessionsVersion = :nextVersion "
                        + "REMOVE lockedUntil, resetToken")
                .conditionExpression("passwordHash = :old AND " + sessionsUnchanged)
                .expressionAttributeValues(values)
                .build()));
        writes.addAll(sessions.deletes(user.sessionIds().stream().filter(id -> !id.equals(keptSessionId)).toList()));
        user.resetTokenHash().ifPresent(hash -> writes.add(table.delete(TokenPurpose.PASSWORD_RESET.prefix + hash)));
        return table.transactUnlessConditionFails(writes, 0);
    }

    /**
     * Deletes the user and every item of the account (email claim, one-time tokens, sessions) in one transaction,
     * so no user is ever left without its claim nor a claim without its user. Returns false when the account
     * changed meanwhile (a login, a new link): the caller reads it again, and deletes what is there then.
     */
    public boolean deleteAccount(UserRecord user) {
        Map<String, AttributeValue> values = new HashMap<>();
        String unchanged = SessionStore.sessionsUnchanged(user, values);
        for (TokenPurpose purpose : TokenPurpose.values()) {
            String placeholder = ":" + purpose.userAttribute;
            Optional<String> live = user.liveToken(purpose);
            if (live.isPresent()) {
                values.put(placeholder, s(live.get()));
                unchanged += " AND " + purpose.userAttribute + " = " + placeholder;
            } else {
                unchanged += " AND attribute_not_exists(" + purpose.userAttribute + ")";
            }
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(ItemTable.inTransaction(Delete.builder().tableName(table.name())
                .key(key(user.userId()))
                .conditionExpression(unchanged)
                .expressionAttributeValues(values)
                .build()));
        writes.add(ItemTable.inTransaction(Delete.builder().tableName(table.name())
                .key(key(EMAIL_CLAIM_PREFIX + user.email()))
                .conditionExpression("ownerId = :owner")
                .expressionAttributeValues(Map.of(":owner", s(user.userId())))
                .build()));
        for (TokenPurpose purpose : TokenPurpose.values()) {
            user.liveToken(purpose).ifPresent(hash -> writes.add(table.delete(purpose.prefix + hash)));
        }
        writes.addAll(sessions.deletes(user.sessionIds()));
        return table.transactUnlessConditionFails(writes, 0);
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
                Optional.ofNullable(item.get(VERIFY_TOKEN)).map(AttributeValue::s),
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
