package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.CREATED_AT;
import static com.example.shop.auth.store.ItemTable.ITEM_IS_NEW;
import static com.example.shop.auth.store.ItemTable.OWNER_ID;
import static com.example.shop.auth.store.ItemTable.USER_ID;
import static com.example.shop.auth.store.ItemTable.conditionFailed;
import static com.example.shop.auth.store.ItemTable.longOf;
import static com.example.shop.auth.store.ItemTable.n;
import static com.example.shop.auth.store.ItemTable.required;
import static com.example.shop.auth.store.ItemTable.s;
import static com.example.shop.auth.store.ItemTable.ss;
import static com.example.shop.auth.store.ItemTable.stringOf;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Passkeys ({@code PASSKEY#<credential id>}), each naming its user ({@code ownerId}); the user item lists their ids
 * ({@code passkeyIds}), so deleting an account finds them all and a user has at most a fixed number.
 */
@ApplicationScoped
public class PasskeyStore {

    private static final String PASSKEY_IDS = Attribute.PASSKEY_IDS.attributeName();
    private static final String SIGN_COUNT = Attribute.SIGN_COUNT.attributeName();
    private static final String BACKED_UP = Attribute.BACKED_UP.attributeName();
    private static final String LAST_USED_AT = Attribute.LAST_USED_AT.attributeName();

    private final ItemTable table;
    private final ChallengeStore challenges;

    PasskeyStore(ItemTable table, ChallengeStore challenges) {
        this.table = table;
        this.challenges = challenges;
    }

    /** What a registration did. */
    public enum Registration {
        REGISTERED,
        /** The challenge was used, expired, or not this user's registration challenge. */
        CHALLENGE_REFUSED,
        /** The user has as many passkeys as allowed. */
        FULL,
        /** A passkey with this credential id is stored already. */
        ALREADY_REGISTERED,
        /** The user was deleted or disabled meanwhile. */
        USER_UNAVAILABLE
    }

    /**
     * In one transaction: consumes the user's registration challenge, stores the passkey (a new item) and adds its
     * id to the user's list, on the condition that the user exists, is not disabled and has fewer than
     * {@code maxPerUser} passkeys.
     */
    public Registration register(String challengeHash, PasskeyRecord passkey, int maxPerUser, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(USER_ID, s(ItemKind.PASSKEY.key(passkey.passkeyId())));
        item.put(OWNER_ID, s(passkey.ownerId()));
        item.put(Attribute.PUBLIC_KEY.attributeName(), AttributeValue.fromB(SdkBytes.fromByteArray(passkey.publicKey())));
        item.put(SIGN_COUNT, n(passkey.signCount()));
        item.put(Attribute.BACKUP_ELIGIBLE.attributeName(), AttributeValue.fromBool(passkey.backupEligible()));
        item.put(BACKED_UP, AttributeValue.fromBool(passkey.backedUp()));
        if (!passkey.transports().isEmpty()) {
            item.put(Attribute.TRANSPORTS.attributeName(), ss(List.copyOf(passkey.transports())));
        }
        item.put(Attribute.AAGUID.attributeName(), s(passkey.aaguid()));
        item.put(Attribute.NICKNAME.attributeName(), s(passkey.nickname()));
        item.put(CREATED_AT, s(now.toString()));
        var reasons = table.transact(List.of(
                challenges.consume(challengeHash, ChallengePurpose.REGISTRATION, Optional.of(passkey.ownerId()), now),
                table.put(item, ITEM_IS_NEW),
                table.update(passkey.ownerId(),
                        "ADD " + PASSKEY_IDS + " :id REMOVE " + ChallengeStore.PASSKEY_CHALLENGE,
                        Map.of(":id", ss(List.of(passkey.passkeyId())), ":max", n(maxPerUser)),
                        Condition.of("attribute_exists(email) AND attribute_not_exists(disabledAt) AND "
                                + "(attribute_not_exists(" + PASSKEY_IDS + ") OR size(" + PASSKEY_IDS + ") < :max)"))));
        if (reasons.isEmpty() || registeredAlready(passkey)) {
            return Registration.REGISTERED; // an attempt whose answer was lost had written it
        }
        if (conditionFailed(reasons, 0)) {
            return Registration.CHALLENGE_REFUSED;
        }
        if (conditionFailed(reasons, 1)) {
            return Registration.ALREADY_REGISTERED;
        }
        return UserStore.read(table, passkey.ownerId())
                .filter(user -> !user.user().disabled())
                .map(user -> Registration.FULL)
                .orElse(Registration.USER_UNAVAILABLE);
    }

    /** The passkey is stored, for its user, with its key, and listed on its user. */
    private boolean registeredAlready(PasskeyRecord passkey) {
        return table.get(ItemKind.PASSKEY.key(passkey.passkeyId())).map(PasskeyStore::toPasskey)
                .filter(stored -> stored.ownerId().equals(passkey.ownerId())
                        && Arrays.equals(stored.publicKey(), passkey.publicKey()))
                .flatMap(stored -> UserStore.read(table, passkey.ownerId()))
                .filter(user -> user.passkeyIds().contains(passkey.passkeyId()))
                .isPresent();
    }

    /** The user's passkeys, oldest first. */
    public List<PasskeyRecord> list(StoredUser user) {
        return table.getAll(user.item.passkeyIds().stream().map(ItemKind.PASSKEY::key).toList()).values().stream()
                .map(PasskeyStore::toPasskey)
                .filter(passkey -> passkey.ownerId().equals(user.userId()))
                .sorted(Comparator.comparing(PasskeyRecord::createdAt))
                .toList();
    }

    /** A passkey and the user it belongs to, both as read in one consistent round trip. */
    public record PasskeyWithOwner(PasskeyRecord passkey, StoredUser owner) {
    }

    /**
     * The passkey with this credential id, if it belongs to {@code ownerId} (the user handle the authenticator
     * returned) and that user exists.
     */
    public Optional<PasskeyWithOwner> findWithOwner(String passkeyId, String ownerId) {
        String key = ItemKind.PASSKEY.key(passkeyId);
        var found = table.getAll(List.of(key, ownerId));
        Optional<PasskeyRecord> passkey = Optional.ofNullable(found.get(key)).map(PasskeyStore::toPasskey)
                .filter(p -> p.ownerId().equals(ownerId));
        Optional<UserItem> owner = Optional.ofNullable(found.get(ownerId)).flatMap(UserStore::userOf);
        return passkey.flatMap(p -> owner.map(user -> new PasskeyWithOwner(p, new StoredUser(user))));
    }

    /**
     * Records a sign-in: the new counter, backup state and time of use, on the condition that the counter is still
     * the one read. False when another sign-in with the same passkey won a race, or the passkey was deleted.
     */
    public boolean recordUse(PasskeyRecord passkey, long newSignCount, boolean backedUp, Instant now) {
        String key = ItemKind.PASSKEY.key(passkey.passkeyId());
        return table.updateIf(key,
                "SET " + SIGN_COUNT + " = :new, " + BACKED_UP + " = :backedUp, " + LAST_USED_AT + " = :now",
                Map.of(":new", n(newSignCount), ":backedUp", AttributeValue.fromBool(backedUp),
                        ":now", s(now.toString())),
                Condition.of("attribute_exists(userId) AND " + SIGN_COUNT + " = :old", ":old", n(passkey.signCount())))
                // an attempt whose answer was lost had written it
                || table.get(key).map(PasskeyStore::toPasskey)
                        .filter(stored -> stored.signCount() == newSignCount
                                && stored.lastUsedAt().equals(Optional.of(now)))
                        .isPresent();
    }

    /** Deletes the user's passkey and takes it off the user's list; false when the user has no such passkey. */
    public boolean delete(String ownerId, String passkeyId) {
        return table.transactUnlessConditionFails(List.of(
                table.delete(ItemKind.PASSKEY.key(passkeyId), Condition.of(OWNER_ID + " = :owner", ":owner", s(ownerId))),
                table.update(ownerId, "DELETE " + PASSKEY_IDS + " :id", Map.of(":id", ss(List.of(passkeyId))),
                        Condition.of("attribute_exists(email)"))), 0, 1);
    }

    /** The deletes of these passkeys, as part of a transaction (an account deletion). */
    static List<TransactWriteItem> deletes(ItemTable table, Set<String> passkeyIds) {
        return passkeyIds.stream().map(id -> table.delete(ItemKind.PASSKEY.key(id))).toList();
    }

    /** The user item still lists the passkeys it listed when read (or still none). */
    static Condition passkeysUnchanged(UserItem user) {
        return user.passkeyIds().isEmpty() ? Condition.of("attribute_not_exists(" + PASSKEY_IDS + ")")
                : Condition.of(PASSKEY_IDS + " = :passkeyIds", ":passkeyIds", ss(List.copyOf(user.passkeyIds())));
    }

    /** The passkey ids a user item lists. */
    static Set<String> passkeyIdsOf(Map<String, AttributeValue> item) {
        AttributeValue ids = item.get(PASSKEY_IDS);
        return ids == null ? Set.of() : Set.copyOf(ids.ss());
    }

    private static PasskeyRecord toPasskey(Map<String, AttributeValue> item) {
        AttributeValue transports = item.get(Attribute.TRANSPORTS.attributeName());
        return new PasskeyRecord(
                ItemKind.PASSKEY.idOf(required(item, Attribute.USER_ID)),
                required(item, Attribute.OWNER_ID),
                item.get(Attribute.PUBLIC_KEY.attributeName()).b().asByteArray(),
                longOf(item, Attribute.SIGN_COUNT),
                item.get(Attribute.BACKUP_ELIGIBLE.attributeName()).bool(),
                item.get(BACKED_UP).bool(),
                transports == null ? Set.of() : Set.copyOf(transports.ss()),
                required(item, Attribute.AAGUID),
                required(item, Attribute.NICKNAME),
                Instant.parse(required(item, Attribute.CREATED_AT)),
                stringOf(item, Attribute.LAST_USED_AT).map(Instant::parse));
    }
}
