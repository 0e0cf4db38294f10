package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.CREATED_AT;
import static com.example.shop.auth.store.ItemTable.ITEM_IS_NEW;
import static com.example.shop.auth.store.ItemTable.OWNER_ID;
import static com.example.shop.auth.store.ItemTable.TTL;
import static com.example.shop.auth.store.ItemTable.USER_ID;
import static com.example.shop.auth.store.ItemTable.inTransaction;
import static com.example.shop.auth.store.ItemTable.n;
import static com.example.shop.auth.store.ItemTable.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * One-time tokens: reset links ({@code RESET#<sha256>}) and verification links ({@code VERIFY#<sha256>}), each
 * with the table's TTL attribute; the user item names its one live token of each purpose ({@code resetToken},
 * {@code verifyToken}).
 */
@ApplicationScoped
public class OneTimeTokenStore {

    private final ItemTable table;
    private final SessionStore sessions;

    OneTimeTokenStore(ItemTable table, SessionStore sessions) {
        this.table = table;
        this.sessions = sessions;
    }

    /**
     * Stores a new token and makes it the user's only live one of its purpose: the previous token's item is deleted
     * in the same transaction. Returns false when the user changed meanwhile (another request won the race).
     */
    public boolean replace(UserRecord user, OneTimeTokenRecord token) {
        TokenPurpose purpose = token.purpose();
        Map<String, AttributeValue> tokenItem = Map.of(
                USER_ID, s(purpose.prefix + token.tokenHash()),
                OWNER_ID, s(user.userId()),
                TTL, n(token.expiresAt().getEpochSecond()),
                CREATED_AT, s(token.createdAt().toString()));

        Optional<String> previous = user.liveToken(purpose);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":new", s(token.tokenHash()));
        String userCondition;
        if (previous.isPresent()) {
            values.put(":previous", s(previous.get()));
            userCondition = purpose.userAttribute + " = :previous";
        } else {
            userCondition = "attribute_exists(userId) AND attribute_not_exists(" + purpose.userAttribute + ")";
        }

        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(table.put(tokenItem, ITEM_IS_NEW));
        writes.add(inTransaction(table.update(user.userId())
                .updateExpression("SET " + purpose.userAttribute + " = :new")
                .conditionExpression(userCondition)
                .expressionAttributeValues(values)
                .build()));
        previous.ifPresent(hash -> writes.add(table.delete(purpose.prefix + hash)));
        return table.transactUnlessConditionFails(writes, 1);
    }

    public Optional<OneTimeTokenRecord> find(TokenPurpose purpose, String tokenHash) {
        return table.get(purpose.prefix + tokenHash).map(item -> new OneTimeTokenRecord(
                purpose,
                tokenHash,
                item.get(OWNER_ID).s(),
                Instant.ofEpochSecond(Long.parseLong(item.get(TTL).n())),
                Instant.parse(item.get(CREATED_AT).s())));
    }

    /** Withdraws a token that could not be delivered, unless a newer one replaced it meanwhile. */
    public void revoke(OneTimeTokenRecord token) {
        TokenPurpose purpose = token.purpose();
        table.transact(List.of(
                table.delete(purpose.prefix + token.tokenHash()),
                inTransaction(table.update(token.ownerId())
                        .updateExpression("REMOVE " + purpose.userAttribute)
                        .conditionExpression(purpose.userAttribute + " = :token")
                        .expressionAttributeValues(Map.of(":token", s(token.tokenHash())))
                        .build())));
    }

    /**
     * Consumes a verification token and marks the email verified, in one transaction; false when the token was
     * used, replaced or expired meanwhile.
     */
    public boolean completeVerification(OneTimeTokenRecord token, Instant now) {
        return table.transactUnlessConditionFails(List.of(
                consume(token, now),
                inTransaction(table.update(token.ownerId())
                        .updateExpression("SET emailVerifiedAt = :now, updatedAt = :now REMOVE verifyToken")
                        .conditionExpression("verifyToken = :token")
                        .expressionAttributeValues(Map.of(":now", s(now.toString()), ":token", s(token.tokenHash())))
                        .build())), 0, 1);
    }

    /**
     * In one transaction: consumes the token, sets the new password and ends every session of the user. The token
     * item must still exist and be unexpired, and must still be the user's live token, so of two racing confirms
     * only one can win; the user's session list must be the one read, so no session started meanwhile survives.
     * Returns false when the token was used, replaced or expired, or the user's sessions changed meanwhile.
     */
    public boolean completeReset(UserRecord user, OneTimeTokenRecord token, String newPasswordHash, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":hash", s(newPasswordHash));
        values.put(":now", s(now.toString()));
        values.put(":zero", n(0));
        values.put(":token", s(token.tokenHash()));
        values.put(":nextVersion", SessionStore.nextSessionsVersion(user));
        String sessionsUnchanged = SessionStore.sessionsUnchanged(user, values);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(consume(token, now));
        writes.add(inTransaction(table.update(user.userId())
                .updateExpression("SET passwordHash = :hash, passwordChangedAt = :now, updatedAt = :now, "
                        + "failedLogins = :zero, sessionsVersion = :nextVersion "
                        + "REMOVE resetToken, lockedUntil, sessionIds")
                .conditionExpression("resetToken = :token AND " + sessionsUnchanged)
                .expressionAttributeValues(values)
                .build()));
        writes.addAll(sessions.deletes(user.sessionIds()));

        return table.transactUnlessConditionFails(writes, 0, 1);
    }

    /** Deletes the token's item if it is still unexpired and the user's: of two racing uses one wins. */
    private TransactWriteItem consume(OneTimeTokenRecord token, Instant now) {
        return inTransaction(Delete.builder().tableName(table.name())
                .key(ItemTable.key(token.purpose().prefix + token.tokenHash()))
                .conditionExpression("ownerId = :owner AND resetTokenExpiry > :now")
                .expressionAttributeValues(Map.of(":owner", s(token.ownerId()), ":now", n(now.getEpochSecond())))
                .build());
    }
}
