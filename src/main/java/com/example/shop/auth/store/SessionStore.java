package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.CREATED_AT;
import static com.example.shop.auth.store.ItemTable.ITEM_EXISTS;
import static com.example.shop.auth.store.ItemTable.ITEM_IS_NEW;
import static com.example.shop.auth.store.ItemTable.OWNER_ID;
import static com.example.shop.auth.store.ItemTable.TTL;
import static com.example.shop.auth.store.ItemTable.USER_ID;
import static com.example.shop.auth.store.ItemTable.inTransaction;
import static com.example.shop.auth.store.ItemTable.key;
import static com.example.shop.auth.store.ItemTable.n;
import static com.example.shop.auth.store.ItemTable.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Sessions ({@code SESSION#<session id>}), listed on their user's item in {@code sessionIds}. Every write that
 * adds or ends a session changes both in one transaction. The TTL attribute holds the moment the session dies if
 * it is not used again; reads check liveness themselves, since TTL deletion lags.
 */
@ApplicationScoped
public class SessionStore {

    public static final String SESSION_PREFIX = "SESSION#";
    static final String REFRESH_HASH = "refreshHash";
    static final String SPENT_REFRESH_HASHES = "spentRefreshHashes";
    static final String ROTATED_AT = "rotatedAt";
    static final String LAST_USED_AT = "lastUsedAt";
    static final String EXPIRES_AT = "expiresAt";
    static final String USER_AGENT = "userAgent";
    /** BatchGetItem may leave keys unprocessed under load; it is asked again this often. */
    private static final int BATCH_ATTEMPTS = 5;

    private final ItemTable table;

    SessionStore(ItemTable table) {
        this.table = table;
    }

    public Optional<SessionRecord> find(String sessionId) {
        return table.get(SESSION_PREFIX + sessionId).map(SessionStore::toSession);
    }

    /** The sessions that still have an item, in no particular order. */
    public List<SessionRecord> findAll(Collection<String> sessionIds) {
        List<SessionRecord> found = new ArrayList<>();
        if (sessionIds.isEmpty()) {
            return found;
        }
        Map<String, KeysAndAttributes> request = Map.of(table.name(), KeysAndAttributes.builder()
                .keys(sessionIds.stream().map(id -> key(SESSION_PREFIX + id)).toList())
                .consistentRead(true)
                .build());
        for (int attempt = 1; !request.isEmpty(); attempt++) {
            if (attempt > BATCH_ATTEMPTS) {
                throw new IllegalStateException("sessions stayed unprocessed after " + BATCH_ATTEMPTS + " reads");
            }
            Map<String, KeysAndAttributes> keys = request;
            var response = table.dynamo().batchGetItem(b -> b.requestItems(keys));
            response.responses().getOrDefault(table.name(), List.of()).stream().map(SessionStore::toSession)
                    .forEach(found::add);
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return found;
    }

    /**
     * Starts the session and ends {@code ending} (sessions of the same user) in one transaction. Returns false when
     * the user changed meanwhile (another login, a sign-out, a new password): the caller reads the user again.
     */
    public boolean start(UserRecord user, SessionRecord session, Set<String> ending, Duration idleTimeout) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(USER_ID, s(SESSION_PREFIX + session.sessionId()));
        item.put(OWNER_ID, s(session.ownerId()));
        item.put(REFRESH_HASH, s(session.refreshHash()));
        item.put(CREATED_AT, s(session.createdAt().toString()));
        item.put(LAST_USED_AT, s(session.lastUsedAt().toString()));
        item.put(EXPIRES_AT, s(session.expiresAt().toString()));
        item.put(TTL, n(session.endsAt(idleTimeout).getEpochSecond()));
        item.put(USER_AGENT, s(session.userAgent()));

        List<String> ids = new ArrayList<>(user.sessionIds());
        ids.removeAll(ending);
        ids.add(session.sessionId());
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":ids", AttributeValue.fromSs(ids));
        values.put(":nextVersion", nextSessionsVersion(user));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(table.put(item, ITEM_IS_NEW));
        writes.add(inTransaction(table.update(user.userId())
                .updateExpression("SET sessionIds = :ids, sessionsVersion = :nextVersion")
                // a completed reset changes the version too, so no session can start on a password just replaced
                .conditionExpression(sessionsUnchanged(user, values))
                .expressionAttributeValues(values)
                .build()));
        writes.addAll(deletes(ending));

        return table.transactUnlessConditionFails(writes, 1);
    }

    /**
     * Replaces the session's refresh token, if it is still the one that was read: of two racing rotations one wins.
     * Returns false when the session changed or ended meanwhile.
     */
    public boolean rotate(SessionRecord read, String newRefreshHash, List<String> spentRefreshHashes, Instant rotatedAt,
            Instant now, Duration idleTimeout) {
        SessionRecord used = new SessionRecord(read.sessionId(), read.ownerId(), newRefreshHash, spentRefreshHashes,
                rotatedAt, read.createdAt(), now, read.expiresAt(), read.userAgent());
        try {
            table.dynamo().updateItem(b -> b.tableName(table.name())
                    .key(key(SESSION_PREFIX + read.sessionId()))
                    .updateExpression("SET refreshHash = :new, spentRefreshHashes = :spent, rotatedAt = :rotatedAt, "
                            + "lastUsedAt = :now, " + TTL + " = :ttl")
                    .conditionExpression("refreshHash = :current")
                    .expressionAttributeValues(Map.of(
                            ":new", s(newRefreshHash),
                            ":spent", AttributeValue.fromL(spentRefreshHashes.stream().map(ItemTable::s).toList()),
                            ":rotatedAt", s(rotatedAt.toString()),
                            ":now", s(now.toString()),
                            ":ttl", n(used.endsAt(idleTimeout).getEpochSecond()),
                            ":current", s(read.refreshHash()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Ends one session: its item goes, and so does its id from the user's list (if the user still exists). */
    public void end(String userId, String sessionId) {
        boolean userUpdated = table.transactUnlessConditionFails(List.of(
                table.delete(SESSION_PREFIX + sessionId),
                inTransaction(table.update(userId)
                        .updateExpression("DELETE sessionIds :id ADD sessionsVersion :one")
                        .conditionExpression(ITEM_EXISTS)
                        .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(sessionId)), ":one", n(1)))
                        .build())), 1);
        if (!userUpdated) { // the account is gone: only the session item is left to remove
            table.transactOrThrow(List.of(table.delete(SESSION_PREFIX + sessionId)));
        }
    }

    /**
     * The condition, for a write to the user item, that its session list is still the one that was read (the
     * placeholder it needs is added to {@code values}). A write that changes the list must also set
     * {@code sessionsVersion} to {@link #nextSessionsVersion}.
     */
    static String sessionsUnchanged(UserRecord user, Map<String, AttributeValue> values) {
        if (user.sessionsVersion() == 0) {
            // the user must still exist: an update of a deleted user would create a stub item
            return "attribute_exists(userId) AND attribute_not_exists(sessionsVersion)";
        }
        values.put(":version", n(user.sessionsVersion()));
        return "sessionsVersion = :version";
    }

    static AttributeValue nextSessionsVersion(UserRecord user) {
        return n(user.sessionsVersion() + 1);
    }

    /** Deletions of these sessions' items, to go in a transaction that also updates their user. */
    List<TransactWriteItem> deletes(Collection<String> sessionIds) {
        return sessionIds.stream().map(id -> table.delete(SESSION_PREFIX + id)).toList();
    }

    private static SessionRecord toSession(Map<String, AttributeValue> item) {
        return new SessionRecord(
                item.get(USER_ID).s().substring(SESSION_PREFIX.length()),
                item.get(OWNER_ID).s(),
                item.get(REFRESH_HASH).s(),
                item.containsKey(SPENT_REFRESH_HASHES)
                        ? item.get(SPENT_REFRESH_HASHES).l().stream().map(AttributeValue::s).toList()
                        : List.of(),
                item.containsKey(ROTATED_AT) ? Instant.parse(item.get(ROTATED_AT).s()) : Instant.EPOCH,
                Instant.parse(item.get(CREATED_AT).s()),
                Instant.parse(item.get(LAST_USED_AT).s()),
                Instant.parse(item.get(EXPIRES_AT).s()),
                item.get(USER_AGENT).s());
    }
}
