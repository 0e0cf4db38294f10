package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.CREATED_AT;
import static com.example.shop.auth.store.ItemTable.ITEM_EXISTS;
import static com.example.shop.auth.store.ItemTable.ITEM_IS_NEW;
import static com.example.shop.auth.store.ItemTable.OWNER_ID;
import static com.example.shop.auth.store.ItemTable.TTL;
import static com.example.shop.auth.store.ItemTable.USER_ID;
import static com.example.shop.auth.store.ItemTable.longOf;
import static com.example.shop.auth.store.ItemTable.n;
import static com.example.shop.auth.store.ItemTable.required;
import static com.example.shop.auth.store.ItemTable.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A user's TOTP second factor, kept on its user item (the encrypted secret, a pending secret until it is confirmed,
 * the last time step used, the hashes of the recovery codes), and the password sign-ins waiting for their second
 * factor ({@code MFA#<SHA-256 of the mfa token>}, expiring through the TTL attribute).
 */
@ApplicationScoped
public class TotpStore {

    private static final Condition IS_A_USER = Condition.of("attribute_exists(email)");
    private static final String REMOVE_ALL = "REMOVE totpSecret, totpPendingSecret, totpLastStep, recoveryCodes";

    private final ItemTable table;
    private final SessionStore sessions;

    TotpStore(ItemTable table, SessionStore sessions) {
        this.table = table;
        this.sessions = sessions;
    }

    /**
     * A password sign-in waiting for its second factor; {@code passwordChangedAt} as it was when the password was
     * checked, so a password reset or change meanwhile ends it.
     */
    public record PendingMfa(String ownerId, int attemptsLeft, Instant expiresAt, Optional<Instant> passwordChangedAt) {

        /** Whether the password checked for this sign-in is still the user's. */
        public boolean passwordStillCurrent(StoredUser user) {
            return user.userId().equals(ownerId) && user.user().passwordChangedAt().equals(passwordChangedAt);
        }
    }

    /** Keeps a new secret as the user's pending one (replacing an unconfirmed one); false when the user is gone. */
    public boolean setPendingSecret(String userId, byte[] ciphertext, Instant now) {
        return table.updateIf(userId, "SET totpPendingSecret = :secret, updatedAt = :now",
                Map.of(":secret", bytes(ciphertext), ":now", s(now.toString())), IS_A_USER);
    }

    /**
     * Makes the pending secret the user's TOTP secret, with {@code step} as its first used step and these recovery
     * codes, and ends every session of the user but {@code keptSessionId}, in one transaction. Returns how many
     * sessions ended, or empty when the pending secret is no longer the one read (another enrolment replaced it) or
     * the user is gone.
     */
    public OptionalInt confirm(StoredUser read, long step, Set<String> recoveryCodeHashes, String keptSessionId,
            Instant now) {
        Optional<SdkBytes> pending = read.item.totp().pendingSecret();
        if (pending.isEmpty()) {
            return OptionalInt.empty();
        }
        return endingOtherSessions("confirming TOTP", read, u -> u.totp().pendingSecret().equals(pending), keptSessionId,
                "totpSecret = :pending, totpLastStep = :step, recoveryCodes = :codes, updatedAt = :now",
                "REMOVE totpPendingSecret",
                Map.of(":step", n(step), ":codes", ItemTable.ss(List.copyOf(recoveryCodeHashes)),
                        ":now", s(now.toString())),
                new Condition("totpPendingSecret = :pending", Map.of(":pending", AttributeValue.fromB(pending.get()))));
    }

    /**
     * Turns TOTP off (secret, pending secret, last step, recovery codes) and ends every session of the user but
     * {@code keptSessionId}, in one transaction. Empty when the secret is no longer the one read, or the user is gone.
     */
    public OptionalInt remove(StoredUser read, String keptSessionId, Instant now) {
        Optional<SdkBytes> secret = read.item.totp().secret();
        if (secret.isEmpty()) {
            return OptionalInt.empty();
        }
        return endingOtherSessions("removing TOTP", read, u -> u.totp().secret().equals(secret), keptSessionId,
                "updatedAt = :now", REMOVE_ALL,
                Map.of(":now", s(now.toString())), secretIs(secret.get()));
    }

    /** An operator's removal of the user's TOTP and recovery codes; false when there is no user. */
    public boolean removeAll(String userId, Instant now) {
        return table.updateIf(userId, "SET updatedAt = :now " + REMOVE_ALL, Map.of(":now", s(now.toString())),
                IS_A_USER);
    }

    /**
     * Accepts a code's time step, once: true when {@code step} is later than every step accepted before and the
     * secret is still the one read. Of two requests with one code, only one gets true.
     */
    public boolean useStep(StoredUser read, long step) {
        Optional<SdkBytes> secret = read.item.totp().secret();
        return secret.isPresent() && table.updateIf(read.userId(), "SET totpLastStep = :step", Map.of(),
                secretIs(secret.get()).and(new Condition(
                        "(attribute_not_exists(totpLastStep) OR totpLastStep < :step)", Map.of(":step", n(step)))));
    }

    /** Uses up one recovery code: true when it was an unused one of the user's (and now it is gone). */
    public boolean useRecoveryCode(String userId, String codeHash) {
        return table.updateIf(userId, "DELETE recoveryCodes :used",
                Map.of(":used", AttributeValue.fromSs(List.of(codeHash))),
                Condition.of("contains(recoveryCodes, :code)", ":code", s(codeHash)));
    }

    /** Replaces the recovery codes (the old ones stop working); false unless TOTP is still on with the secret read. */
    public boolean replaceRecoveryCodes(StoredUser read, Set<String> codeHashes, Instant now) {
        Optional<SdkBytes> secret = read.item.totp().secret();
        return secret.isPresent() && table.updateIf(read.userId(), "SET recoveryCodes = :codes, updatedAt = :now",
                Map.of(":codes", ItemTable.ss(List.copyOf(codeHashes)), ":now", s(now.toString())),
                secretIs(secret.get()));
    }

    /** Keeps a password sign-in waiting for its second factor until {@code expiresAt}. */
    public void startPendingMfa(String tokenHash, StoredUser checked, int attempts, Instant now, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(USER_ID, s(ItemKind.PENDING_MFA.key(tokenHash)));
        item.put(OWNER_ID, s(checked.userId()));
        checked.user().passwordChangedAt()
                .ifPresent(at -> item.put(Attribute.PASSWORD_CHANGED_AT.attributeName(), s(at.toString())));
        item.put(Attribute.ATTEMPTS_LEFT.attributeName(), n(attempts));
        item.put(CREATED_AT, s(now.toString()));
        item.put(TTL, n(expiresAt.getEpochSecond()));
        table.transactOrThrow(List.of(table.put(item, ITEM_IS_NEW)));
    }

    /** The pending second factor of this mfa token, unless it is gone or expired (TTL deletion lags). */
    public Optional<PendingMfa> findPendingMfa(String tokenHash, Instant now) {
        return table.get(ItemKind.PENDING_MFA.key(tokenHash))
                .map(item -> new PendingMfa(required(item, Attribute.OWNER_ID),
                        (int) longOf(item, Attribute.ATTEMPTS_LEFT), Instant.ofEpochSecond(longOf(item, Attribute.TTL)),
                        Optional.ofNullable(item.get(Attribute.PASSWORD_CHANGED_AT.attributeName()))
                                .map(value -> Instant.parse(value.s()))))
                .filter(pending -> now.isBefore(pending.expiresAt()));
    }

    /**
     * Spends one attempt of a pending second factor (a wrong code). Returns the attempts left; 0 when this call
     * spent the last one and so ended it; empty when it had already ended (another request ended or used it).
     */
    public OptionalInt spendAttempt(String tokenHash) {
        String key = ItemKind.PENDING_MFA.key(tokenHash);
        Optional<Map<String, AttributeValue>> spent = table.updateReturning(key,
                "SET attemptsLeft = attemptsLeft - :one", Map.of(), Condition.of("attemptsLeft > :one", ":one", n(1)),
                null);
        if (spent.isPresent()) {
            return OptionalInt.of((int) longOf(spent.get(), Attribute.ATTEMPTS_LEFT));
        }
        return consumePendingMfa(tokenHash) ? OptionalInt.of(0) : OptionalInt.empty();
    }

    /** Ends a pending second factor; true for the one request that ended it. */
    public boolean consumePendingMfa(String tokenHash) {
        return table.transactUnlessConditionFails(
                List.of(table.delete(ItemKind.PENDING_MFA.key(tokenHash), ITEM_EXISTS)), 0);
    }

    /** The TOTP state of a user item as read. */
    static UserItem.Totp totpOf(Map<String, AttributeValue> item) {
        AttributeValue codes = item.get(Attribute.RECOVERY_CODES.attributeName());
        return new UserItem.Totp(binary(item, Attribute.TOTP_SECRET), binary(item, Attribute.TOTP_PENDING_SECRET),
                longOf(item, Attribute.TOTP_LAST_STEP), codes == null ? Set.of() : Set.copyOf(codes.ss()));
    }

    /**
     * Writes {@code set} and {@code remove} to the user item on {@code condition}, and ends every session of the user
     * but {@code keptSessionId}, in one transaction; a sign-in racing it makes it read the user again, and it gives
     * up (empty) once the user no longer {@code stillHolds} what the condition checks.
     */
    private OptionalInt endingOtherSessions(String operation, StoredUser read, Predicate<UserItem> stillHolds,
            String keptSessionId, String set, String remove, Map<String, AttributeValue> setValues,
            Condition condition) {
        return UserStore.retryingRaces(table, operation, read.item, OptionalInt::empty, user -> {
            if (!stillHolds.test(user)) {
                return Optional.of(OptionalInt.empty());
            }
            Map<String, AttributeValue> values = new HashMap<>(setValues);
            values.put(":kept", AttributeValue.fromSs(List.of(keptSessionId)));
            values.put(":nextVersion", SessionStore.nextSessionsVersion(user));
            List<String> ending = user.sessionIds().stream().filter(id -> !id.equals(keptSessionId)).toList();
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(table.update(user.userId(),
                    "SET " + set + ", sessionIds = :kept, sessionsVersion = :nextVersion " + remove, values,
                    condition.and(SessionStore.sessionsUnchanged(user))));
            writes.addAll(sessions.deletes(ending));
            return table.transactUnlessConditionFails(writes, 0) ? Optional.of(OptionalInt.of(ending.size()))
                    : Optional.empty();
        });
    }

    private static Condition secretIs(SdkBytes secret) {
        return new Condition("totpSecret = :secret", Map.of(":secret", AttributeValue.fromB(secret)));
    }

    private static AttributeValue bytes(byte[] value) {
        return AttributeValue.fromB(SdkBytes.fromByteArray(value));
    }

    private static Optional<SdkBytes> binary(Map<String, AttributeValue> item, Attribute attribute) {
        return Optional.ofNullable(item.get(attribute.attributeName())).map(AttributeValue::b);
    }
}
