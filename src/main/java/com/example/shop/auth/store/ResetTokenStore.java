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
 * Password-reset tokens ({@code RESET#<sha256>}), each with the table's TTL attribute; the user item names its one
 * live token in {@code resetToken}.
 */
@ApplicationScoped
public class ResetTokenStore {

    static final String RESET_TOKEN_PREFIX = "RESET#";

    private final ItemTable table;
    private final SessionStore sessions;

    ResetTokenStore(ItemTable table, SessionStore sessions) {
        this.table = table;
        this.sessions = sessions;
    }

    /**
     * Stores a new reset token and makes it the user's only live one: the previous token's item is deleted in the
     * same transaction. Returns false when the user changed meanwhile (another reset won the race).
     */
    public boolean replaceResetToken(UserRecord user, ResetTokenRecord token) {
        Map<String, AttributeValue> tokenItem = Map.of(
                USER_ID, s(RESET_TOKEN_PREFIX + token.tokenHash()),
                OWNER_ID, s(user.userId()),
                TTL, n(token.expiresAt().getEpochSecond()),
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
        writes.add(table.put(tokenItem, ITEM_IS_NEW));
        writes.add(inTransaction(table.update(user.userId())
                .updateExpression("SET resetToken = :new")
                .conditionExpression(userCondition)
                .expressionAttributeValues(values)
                .build()));
        user.resetTokenHash().ifPresent(previous -> writes.add(table.delete(RESET_TOKEN_PREFIX + previous)));

        return table.transactUnlessConditionFails(writes, 1);
    }

    public Optional<ResetTokenRecord> findResetToken(String tokenHash) {
        return table.get(RESET_TOKEN_PREFIX + tokenHash).map(item -> new ResetTokenRecord(
                tokenHash,
                item.get(OWNER_ID).s(),
                Instant.ofEpochSecond(Long.parseLong(item.get(TTL).n())),
                Instant.parse(item.get(CREATED_AT).s())));
    }

    /**
     * In one transaction: consumes the token, sets the new password and ends every session of the user. The token
     * item must still exist and be unexpired, and must still be the user's live token, so of two racing confirms
     * only one can win; the user's session list must be the one read, so no session started meanwhile survives.
     * Returns false when the token was used, replaced or expired, or the user's sessions changed meanwhile.
     */
    public boolean completeReset(UserRecord user, String tokenHash, String newPasswordHash, Instant now) {
        Delete consumeToken = Delete.builder().tableName(table.name())
                .key(ItemTable.key(RESET_TOKEN_PREFIX + tokenHash))
                .conditionExpression("ownerId = :owner AND resetTokenExpiry > :now")
                .expressionAttributeValues(Map.of(":owner", s(user.userId()), ":now", n(now.getEpochSecond())))
                .build();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":hash", s(newPasswordHash));
        values.put(":now", s(now.toString()));
        values.put(":zero", n(0));
        values.put(":token", s(tokenHash));
        String sessionsUnchanged = SessionStore.sessionsUnchanged(user, values);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(inTransaction(consumeToken));
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

    /** Withdraws a token that could not be delivered, unless a newer one replaced it meanwhile. */
    public void revokeResetToken(String userId, String tokenHash) {
        table.transact(List.of(
                table.delete(RESET_TOKEN_PREFIX + tokenHash),
                inTransaction(table.update(userId)
                        .updateExpression("REMOVE resetToken")
                        .conditionExpression("resetToken = :token")
                        .expressionAttributeValues(Map.of(":token", s(tokenHash)))
                        .build())));
    }
}
