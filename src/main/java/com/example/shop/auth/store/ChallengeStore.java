package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.CREATED_AT;
import static com.example.shop.auth.store.ItemTable.ITEM_IS_NEW;
import static com.example.shop.auth.store.ItemTable.OWNER_ID;
import static com.example.shop.auth.store.ItemTable.TTL;
import static com.example.shop.auth.store.ItemTable.USER_ID;
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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * WebAuthn challenges handed out and not yet used ({@code CHALLENGE#<sha256>}): their purpose, for a registration
 * its user (whose item names its one live registration challenge), and the table's TTL attribute. A challenge is consumed by a conditional delete that also checks its
 * purpose, its user and its expiry (TTL deletion lags), so it works once, for what it was issued for, in time.
 */
@ApplicationScoped
public class ChallengeStore {

    private static final String PURPOSE = Attribute.PURPOSE.attributeName();
    static final String PASSKEY_CHALLENGE = Attribute.PASSKEY_CHALLENGE.attributeName();

    private final ItemTable table;

    ChallengeStore(ItemTable table) {
        this.table = table;
    }

    /** Stores a new sign-in challenge (by its hash). */
    public void issueForSignIn(String challengeHash, Instant expiresAt, Instant now) {
        String key = ItemKind.CHALLENGE.key(challengeHash);
        boolean written = table.transact(List.of(table.put(item(challengeHash, ChallengePurpose.SIGN_IN, expiresAt, now),
                ITEM_IS_NEW))).isEmpty() || table.get(key).isPresent(); // an attempt whose answer was lost wrote it
        if (!written) {
            throw new IllegalStateException("a new sign-in challenge could not be stored");
        }
    }

    /**
     * Stores a new registration challenge for the user and makes it the user's only live one: the user item names
     * it ({@code passkeyChallenge}), the previous one is deleted, and so is this one when the account is deleted.
     * False when the user is gone.
     */
    public boolean issueForRegistration(StoredUser user, String challengeHash, Instant expiresAt, Instant now) {
        Map<String, AttributeValue> item = item(challengeHash, ChallengePurpose.REGISTRATION, expiresAt, now);
        item.put(OWNER_ID, s(user.userId()));
        return UserStore.retryingRaces(table, "issuing a passkey registration challenge", user.item, () -> false,
                read -> {
                    if (read.passkeyChallenge().filter(challengeHash::equals).isPresent()) {
                        return Optional.of(true); // an attempt whose answer was lost had written it
                    }
                    List<TransactWriteItem> writes = new ArrayList<>();
                    writes.add(table.put(item, ITEM_IS_NEW));
                    writes.add(table.update(read.userId(), "SET " + PASSKEY_CHALLENGE + " = :new",
                            Map.of(":new", s(challengeHash)),
                            Condition.of("attribute_exists(email)").and(registrationChallengeUnchanged(read))));
                    read.passkeyChallenge().ifPresent(hash -> writes.add(table.delete(ItemKind.CHALLENGE.key(hash))));
                    return table.transactUnlessConditionFails(writes, 0, 1) ? Optional.of(true) : Optional.empty();
                });
    }

    /** The user item still names the registration challenge it named when read (or still none). */
    static Condition registrationChallengeUnchanged(UserItem user) {
        return user.passkeyChallenge()
                .map(hash -> Condition.of(PASSKEY_CHALLENGE + " = :readChallenge", ":readChallenge", s(hash)))
                .orElse(Condition.of("attribute_not_exists(" + PASSKEY_CHALLENGE + ")"));
    }

    private static Map<String, AttributeValue> item(String challengeHash, ChallengePurpose purpose, Instant expiresAt,
            Instant now) {
        return new HashMap<>(Map.of(
                USER_ID, s(ItemKind.CHALLENGE.key(challengeHash)),
                PURPOSE, s(purpose.stored),
                TTL, n(expiresAt.getEpochSecond()),
                CREATED_AT, s(now.toString())));
    }

    /** Consumes a sign-in challenge; false when it is unknown, used, expired or not one for signing in. */
    public boolean consumeForSignIn(String challengeHash, Instant now) {
        return table.transactUnlessConditionFails(List.of(consume(challengeHash, ChallengePurpose.SIGN_IN,
                Optional.empty(), now)), 0);
    }

    /** The delete that consumes a challenge of {@code purpose} (and of {@code ownerId}), as part of a transaction. */
    TransactWriteItem consume(String challengeHash, ChallengePurpose purpose, Optional<String> ownerId, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":purpose", s(purpose.stored),
                ":now", n(now.getEpochSecond())));
        String expression = PURPOSE + " = :purpose AND " + TTL + " > :now";
        if (ownerId.isPresent()) {
            expression += " AND " + OWNER_ID + " = :owner";
            values.put(":owner", s(ownerId.get()));
        }
        return table.delete(ItemKind.CHALLENGE.key(challengeHash), new Condition(expression, values));
    }
}
