package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.CREATED_AT;
import static com.example.shop.auth.store.ItemTable.ITEM_EXISTS;
import static com.example.shop.auth.store.ItemTable.ITEM_IS_NEW;
import static com.example.shop.auth.store.ItemTable.OWNER_ID;
import static com.example.shop.auth.store.ItemTable.TTL;
import static com.example.shop.auth.store.ItemTable.USER_ID;
import static com.example.shop.auth.store.ItemTable.n;
import static com.example.shop.auth.store.ItemTable.required;
import static com.example.shop.auth.store.ItemTable.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.store.SessionRecord.SpentToken;
import com.example.shop.auth.user.User;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Sessions ({@code SESSION#<session id>}), listed on their user's item in {@code sessionIds}. Every write that
 * adds or ends a session changes both in one transaction. The TTL attribute holds the moment the session dies if
 * it is not used again; reads check liveness themselves, since TTL deletion lags.
 */
@ApplicationScoped
public class SessionStore {

    /**
     * The most sessions a user may keep: the largest transaction, an account's deletion, holds the user, its claim,
     * one token of each purpose and every session, within DynamoDB's 100 actions per transaction.
     */
    public static final int MAX_PER_USER_LIMIT = ItemTable.MAX_TRANSACTION_ITEMS - 2 - TokenPurpose.values().length;

    /** The sign-in methods (RFC 8176) of a password sign-in. */
    public static final List<String> PASSWORD_ONLY = List.of("pwd");

    /** The members of each entry of the spent-token list. */
    private static final String SPENT_HASH = "hash";
    private static final String SPENT_AT = "spentAt";

    private final ItemTable table;

    SessionStore(ItemTable table) {
        this.table = table;
    }

    /** A session together with its owner, as one consistent read found them. */
    public record SessionWithOwner(SessionRecord session, User owner) {
    }

    /** A refresh token's next state: the new token's hash, and the spent tokens to remember. */
    public record Rotation(String newRefreshHash, List<SpentToken> spent) {
    }

    public Optional<SessionRecord> find(String sessionId) {
        return table.get(ItemKind.SESSION.key(sessionId)).map(SessionStore::toSession);
    }

    /** The session and its owner in one strongly consistent round trip, if both exist and belong together. */
    public Optional<SessionWithOwner> findWithOwner(String userId, String sessionId) {
        String sessionKey = ItemKind.SESSION.key(sessionId);
        var items = table.getAll(List.of(userId, sessionKey));
        var session = Optional.ofNullable(items.get(sessionKey)).map(SessionStore::toSession)
                .filter(s -> s.ownerId().equals(userId));
        var owner = Optional.ofNullable(items.get(userId)).flatMap(UserStore::userOf).map(UserItem::user);
        return session.isPresent() && owner.isPresent()
                ? Optional.of(new SessionWithOwner(session.get(), owner.get()))
                : Optional.empty();
    }

    /** The user's sessions that still have an item (live or not), newest first. */
    public List<SessionRecord> findAllOf(String userId) {
        Set<String> ids = UserStore.read(table, userId).map(UserItem::sessionIds).orElse(Set.of());
        return findAll(ids).stream().filter(s -> s.ownerId().equals(userId)).toList();
    }

    /**
     * Starts the session for a user whose password was just verified, in one transaction that also ends the user's
     * sessions that are over and the oldest live ones beyond {@code maxPerUser}. A sign-out or another login racing
     * it makes it read the user again. Returns the ids of the sessions it ended, or empty when the verified password
     * stopped being the user's meanwhile (a reset won the race), the user is gone or an operator disabled it.
     */
    public Optional<Set<String>> start(StoredUser verified, SessionRecord session, int maxPerUser, Duration idleTimeout,
            Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(USER_ID, s(ItemKind.SESSION.key(session.sessionId())));
        item.put(OWNER_ID, s(session.ownerId()));
        item.put(Attribute.REFRESH_HASH.attributeName(), s(session.refreshHash()));
        item.put(CREATED_AT, s(session.createdAt().toString()));
        item.put(Attribute.LAST_USED_AT.attributeName(), s(session.lastUsedAt().toString()));
        item.put(Attribute.EXPIRES_AT.attributeName(), s(session.expiresAt().toString()));
        item.put(TTL, n(session.endsAt(idleTimeout).getEpochSecond()));
        item.put(Attribute.USER_AGENT.attributeName(), s(session.userAgent()));
        item.put(Attribute.AMR.attributeName(), AttributeValue.fromL(session.amr().stream().map(ItemTable::s).toList()));

        return UserStore.retryingRaces(table, "a login", verified.item, Optional::empty, user -> {
            if (user.sessionIds().contains(session.sessionId())) {
                return Optional.of(Optional.of(Set.<String>of())); // an attempt whose answer was lost had started it
            }
            if (!user.passwordHash().equals(verified.passwordHash()) || user.user().disabled()) {
                return Optional.of(Optional.empty());
            }
            Set<String> ending = beyondCap(user, maxPerUser, idleTimeout, now);
            List<String> ids = new ArrayList<>(user.sessionIds());
            ids.removeAll(ending);
            ids.add(session.sessionId());
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(table.put(item, ITEM_IS_NEW));
            // a completed reset changes the version too, so no session can start on a password just replaced
            writes.add(table.update(user.userId(), "SET sessionIds = :ids, sessionsVersion = :nextVersion",
                    Map.of(":ids", ItemTable.ss(ids), ":nextVersion", nextSessionsVersion(user)),
                    sessionsUnchanged(user)));
            writes.addAll(deletes(ending));
            return table.transactUnlessConditionFails(writes, 1) ? Optional.of(Optional.of(ending)) : Optional.empty();
        });
    }

    /**
     * Rotates the refresh token of a session. Reads the session with its owner (one round trip when the owner is
     * known), asks {@code decide} whether to rotate it, and replaces the token if the session is still as read: of
     * two racing rotations one wins, and the loser decides again on what the winner wrote (never forking the session).
     * Returns the rotated session with its owner, or empty when the session or its owner is gone or {@code decide}
     * refused.
     */
    public Optional<SessionWithOwner> rotate(Optional<String> ownerId, String sessionId, Instant now,
            Duration idleTimeout, Function<SessionWithOwner, Optional<Rotation>> decide) {
        return table.retryingRaces("a refresh", () -> {
            Optional<SessionWithOwner> read = ownerId.isPresent() ? findWithOwner(ownerId.get(), sessionId)
                    : find(sessionId).flatMap(s -> findWithOwner(s.ownerId(), sessionId));
            if (read.isEmpty()) {
                return Optional.of(Optional.<SessionWithOwner>empty());
            }
            SessionRecord session = read.get().session();
            Optional<Rotation> rotation = decide.apply(read.get());
            if (rotation.isEmpty()) {
                return Optional.of(Optional.<SessionWithOwner>empty());
            }
            SessionRecord rotated = new SessionRecord(session.sessionId(), session.ownerId(),
                    rotation.get().newRefreshHash(), rotation.get().spent(), now, session.createdAt(), now,
                    session.expiresAt(), session.userAgent(), session.amr());
            boolean written = table.updateIf(ItemKind.SESSION.key(sessionId),
                    "SET refreshHash = :new, spentRefreshHashes = :spent, rotatedAt = :rotatedAt, lastUsedAt = :now, "
                            + TTL + " = :ttl",
                    Map.of(":new", s(rotated.refreshHash()),
                            ":spent", AttributeValue.fromL(rotated.spent().stream().map(SessionStore::spentItem).toList()),
                            ":rotatedAt", s(now.toString()),
                            ":now", s(now.toString()),
                            ":ttl", n(rotated.endsAt(idleTimeout).getEpochSecond())),
                    Condition.of("refreshHash = :current", ":current", s(session.refreshHash())));
            return written ? Optional.of(Optional.of(new SessionWithOwner(rotated, read.get().owner())))
                    : Optional.empty();
        });
    }

    /** Ends one session: its item goes, and so does its id from the user's list (if the user still exists). */
    public void end(String userId, String sessionId) {
        String key = ItemKind.SESSION.key(sessionId);
        boolean userUpdated = table.transactUnlessConditionFails(List.of(
                table.delete(key),
                table.update(userId, "DELETE sessionIds :id ADD sessionsVersion :one",
                        Map.of(":id", AttributeValue.fromSs(List.of(sessionId)), ":one", n(1)), ITEM_EXISTS)), 1);
        if (!userUpdated) { // the account is gone: only the session item is left to remove
            table.transactOrThrow(List.of(table.delete(key)));
        }
    }

    /**
     * The condition, for a write to the user item, that its session list is still the one that was read. A write
     * that changes the list must also set {@code sessionsVersion} to {@link #nextSessionsVersion}.
     */
    static Condition sessionsUnchanged(UserItem user) {
        if (user.sessionsVersion() == 0) {
            // the user must still exist: an update of a deleted user would create a stub item
            return Condition.of("attribute_exists(userId) AND attribute_not_exists(sessionsVersion)");
        }
        return Condition.of("sessionsVersion = :version", ":version", n(user.sessionsVersion()));
    }

    static AttributeValue nextSessionsVersion(UserItem user) {
        return n(user.sessionsVersion() + 1);
    }

    /** Deletions of these sessions' items, to go in a transaction that also updates their user. */
    List<TransactWriteItem> deletes(Collection<String> sessionIds) {
        return sessionIds.stream().map(id -> table.delete(ItemKind.SESSION.key(id))).toList();
    }

    /** The sessions a new login ends: those already over, and the oldest live ones beyond the cap. */
    private Set<String> beyondCap(UserItem user, int maxPerUser, Duration idleTimeout, Instant now) {
        if (user.sessionIds().size() < maxPerUser) {
            return Set.of();
        }
        List<SessionRecord> kept = findAll(user.sessionIds()).stream()
                .filter(s -> s.ownerId().equals(user.userId()) && s.isLive(now, idleTimeout))
                .sorted(Comparator.comparing(SessionRecord::createdAt).reversed())
                .limit(Math.max(0, maxPerUser - 1))
                .toList();
        Set<String> ending = new HashSet<>(user.sessionIds());
        kept.forEach(s -> ending.remove(s.sessionId()));
        return ending;
    }

    private List<SessionRecord> findAll(Collection<String> sessionIds) {
        return table.getAll(sessionIds.stream().map(ItemKind.SESSION::key).toList()).values().stream()
                .map(SessionStore::toSession)
                .sorted(Comparator.comparing(SessionRecord::createdAt).reversed())
                .toList();
    }

    private static AttributeValue spentItem(SpentToken token) {
        return AttributeValue.fromM(Map.of(SPENT_HASH, s(token.hash()), SPENT_AT, s(token.spentAt().toString())));
    }

    /**
     * The spent tokens as stored: each a map of its hash and when it was replaced. Sessions written before the
     * times were kept list bare hashes, the newest of which was replaced at {@code rotatedAt}.
     */
    private static List<SpentToken> spentTokens(AttributeValue spent, Instant rotatedAt) {
        if (spent == null) {
            return List.of();
        }
        List<AttributeValue> items = spent.l();
        List<SpentToken> tokens = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            AttributeValue token = items.get(i);
            tokens.add(token.hasM()
                    ? new SpentToken(token.m().get(SPENT_HASH).s(), Instant.parse(token.m().get(SPENT_AT).s()))
                    : new SpentToken(token.s(), i == items.size() - 1 ? rotatedAt : Instant.EPOCH));
        }
        return tokens;
    }

    private static SessionRecord toSession(Map<String, AttributeValue> item) {
        AttributeValue rotatedAtValue = item.get(Attribute.ROTATED_AT.attributeName());
        Instant rotatedAt = rotatedAtValue == null ? Instant.EPOCH : Instant.parse(rotatedAtValue.s());
        return new SessionRecord(
                ItemKind.SESSION.idOf(required(item, Attribute.USER_ID)),
                required(item, Attribute.OWNER_ID),
                required(item, Attribute.REFRESH_HASH),
                spentTokens(item.get(Attribute.SPENT_REFRESH_HASHES.attributeName()), rotatedAt),
                rotatedAt,
                Instant.parse(required(item, Attribute.CREATED_AT)),
                Instant.parse(required(item, Attribute.LAST_USED_AT)),
                Instant.parse(required(item, Attribute.EXPIRES_AT)),
                required(item, Attribute.USER_AGENT),
                amrOf(item));
    }

    /** The session's sign-in methods; sessions started before they were kept were password sign-ins. */
    private static List<String> amrOf(Map<String, AttributeValue> item) {
        AttributeValue amr = item.get(Attribute.AMR.attributeName());
        return amr == null ? PASSWORD_ONLY : amr.l().stream().map(AttributeValue::s).toList();
    }
}
