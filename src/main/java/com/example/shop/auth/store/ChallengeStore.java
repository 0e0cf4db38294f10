package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.CREATED_AT;
import static com.example.shop.auth.store.ItemTable.ITEM_IS_NEW;
import static com.example.shop.auth.store.ItemTable.OWNER_ID;
import static com.example.shop.auth.store.ItemTable.TTL;
import static com.example.shop.auth.store.ItemTable.USER_ID;
import static com.example.shop.auth.store.ItemTable.n;
import static com.example.shop.auth.store.ItemTable.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * WebAuthn challenges handed out and not yet used ({@code CHALLENGE#<sha256>}): their purpose, for a registration
 * its user, and the table's TTL attribute. A challenge is consumed by a conditional delete that also checks its
 * purpose, its user and its expiry (TTL deletion lags), so it works once, for what it was issued for, in time.
 */
@ApplicationScoped
public class ChallengeStore {

    private static final String PURPOSE = Attribute.PURPOSE.attributeName();

    private final ItemTable table;

    ChallengeStore(ItemTable table) {
        this.table = table;
    }

    /** Stores a new challenge (by its hash); {@code ownerId} is present for a registration, and only for it. */
    public void issue(String challengeHash, ChallengePurpose purpose, Optional<String> ownerId, Instant expiresAt,
            Instant now) {
        if (ownerId.isPresent() != (purpose == ChallengePurpose.REGISTRATION)) {
            throw new IllegalArgumentException("a registration challenge, and only that, has a user");
        }
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                USER_ID, s(ItemKind.CHALLENGE.key(challengeHash)),
                PURPOSE, s(purpose.stored),
                TTL, n(expiresAt.getEpochSecond()),
                CREATED_AT, s(now.toString())));
        ownerId.ifPresent(owner -> item.put(OWNER_ID, s(owner)));
        table.transactOrThrow(List.of(table.put(item, ITEM_IS_NEW)));
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
