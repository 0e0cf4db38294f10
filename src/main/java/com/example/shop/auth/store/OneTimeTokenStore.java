package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.CREATED_AT;
import static com.example.shop.auth.store.ItemTable.ITEM_IS_NEW;
import static com.example.shop.auth.store.ItemTable.OWNER_ID;
import static com.example.shop.auth.store.ItemTable.TTL;
import static com.example.shop.auth.store.ItemTable.conditionFailed;
import static com.example.shop.auth.store.ItemTable.USER_ID;
import static com.example.shop.auth.store.ItemTable.n;
import static com.example.shop.auth.store.ItemTable.required;
import static com.example.shop.auth.store.ItemTable.s;
import static com.example.shop.auth.store.ItemTable.stringOf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.user.User;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * One-time tokens: reset links ({@code RESET#<sha256>}), verification links ({@code VERIFY#<sha256>}) and
 * email-change links ({@code EMAILCHANGE#<sha256>}, which also hold the new address in {@code pendingEmail}), each
 * with the table's TTL attribute; the user item names its one live token of each purpose ({@code resetToken},
 * {@code verifyToken}, {@code emailChangeToken}), so a newer token replaces the older.
 */
@ApplicationScoped
public class OneTimeTokenStore {

    private static final String PENDING_EMAIL = Attribute.PENDING_EMAIL.attributeName();

    private final ItemTable table;
    private final SessionStore sessions;

    OneTimeTokenStore(ItemTable table, SessionStore sessions) {
        this.table = table;
        this.sessions = sessions;
    }

    /** A live token and its user, as read. */
    public record TokenHolder(OneTimeTokenRecord token, StoredUser user) {
    }

    /**
     * Stores a new token and makes it the user's only live one of its purpose: the previous token's item is deleted
     * in the same transaction. When another request for the same user won a race, the user is read again and the
     * token issued if the user still {@code qualifies}. Returns the stored token, or empty when the user is gone
     * or no longer qualifies.
     */
    public Optional<OneTimeTokenRecord> issue(StoredUser user, TokenPurpose purpose, String tokenHash,
            Instant expiresAt, Instant now, Predicate<User> qualifies) {
        return issue(user, purpose, tokenHash, Optional.empty(), expiresAt, now, qualifies);
    }

    /**
     * Like {@link #issue(StoredUser, TokenPurpose, String, Instant, Instant, Predicate)}, for a token that carries
     * an address: the new email of an email change (present for that purpose, and only for it).
     */
    public Optional<OneTimeTokenRecord> issue(StoredUser user, TokenPurpose purpose, String tokenHash,
            Optional<String> pendingEmail, Instant expiresAt, Instant now, Predicate<User> qualifies) {
        if (pendingEmail.isPresent() != (purpose == TokenPurpose.EMAIL_CHANGE)) {
            throw new IllegalArgumentException("an email-change token, and only that, carries the new address");
        }
        OneTimeTokenRecord token = new OneTimeTokenRecord(purpose, tokenHash, user.userId(), expiresAt, now,
                pendingEmail);
        Map<String, AttributeValue> tokenItem = new HashMap<>(Map.of(
                USER_ID, s(purpose.key(tokenHash)),
                OWNER_ID, s(user.userId()),
                TTL, n(expiresAt.getEpochSecond()),
                CREATED_AT, s(now.toString())));
        pendingEmail.ifPresent(email -> tokenItem.put(PENDING_EMAIL, s(email)));
        String attribute = purpose.userAttributeName();
        return UserStore.retryingRaces(table, "issuing a " + purpose + " token", user.item, Optional::empty, read -> {
            if (read.liveToken(purpose).filter(tokenHash::equals).isPresent()) {
                return Optional.of(Optional.of(token)); // an attempt whose answer was lost had written it
            }
            if (!qualifies.test(read.user())) {
                return Optional.of(Optional.empty());
            }
            Optional<String> previous = read.liveToken(purpose);
            Condition noOtherTokenMeanwhile = previous
                    .map(hash -> Condition.of(attribute + " = :previous", ":previous", s(hash)))
                    .orElse(Condition.of("attribute_exists(userId) AND attribute_not_exists(" + attribute + ")"));
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(table.put(tokenItem, ITEM_IS_NEW));
            writes.add(table.update(read.userId(), "SET " + attribute + " = :new", Map.of(":new", s(tokenHash)),
                    noOtherTokenMeanwhile));
            previous.ifPresent(hash -> writes.add(table.delete(purpose.key(hash))));
            return table.transactUnlessConditionFails(writes, 1) ? Optional.of(Optional.of(token)) : Optional.empty();
        });
    }

    /** The token, if it is unexpired and still its user's live one of its purpose, with that user. */
    public Optional<TokenHolder> findLive(TokenPurpose purpose, String tokenHash, Instant now) {
        return table.get(purpose.key(tokenHash))
                .map(item -> new OneTimeTokenRecord(
                        purpose,
                        tokenHash,
                        required(item, Attribute.OWNER_ID),
                        Instant.ofEpochSecond(Long.parseLong(item.get(TTL).n())),
                        Instant.parse(required(item, Attribute.CREATED_AT)),
                        stringOf(item, Attribute.PENDING_EMAIL)))
                .filter(token -> token.isLive(now)) // TTL deletion lags, so expiry is checked on every read
                .flatMap(token -> holderOf(token).map(user -> new TokenHolder(token, new StoredUser(user))));
    }

    /** Withdraws a token that could not be delivered, unless a newer one replaced it meanwhile. */
    public void revoke(OneTimeTokenRecord token) {
        TokenPurpose purpose = token.purpose();
        String attribute = purpose.userAttributeName();
        table.transact(List.of(
                table.delete(purpose.key(token.tokenHash())),
                table.update(token.ownerId(), "REMOVE " + attribute, Map.of(),
                        Condition.of(attribute + " = :token", ":token", s(token.tokenHash())))));
    }

    /**
     * Consumes a verification token and marks the email verified, in one transaction; false when the token was
     * used, replaced or expired meanwhile.
     */
    public boolean completeVerification(OneTimeTokenRecord token, Instant now) {
        return table.transactUnlessConditionFails(List.of(
                consume(token, now),
                table.update(token.ownerId(), "SET emailVerifiedAt = :now, updatedAt = :now REMOVE verifyToken",
                        Map.of(":now", s(now.toString())),
                        Condition.of("verifyToken = :token", ":token", s(token.tokenHash())))), 0, 1);
    }

    /**
     * In one transaction: consumes the reset token, sets the new password and ends every session of the user. The
     * token item must still exist and be unexpired, and must still be the user's live token, so of two racing
     * confirms only one wins; a login or sign-out racing it makes it read the user again, so no session started
     * meanwhile survives. A pending email change stops working too: it was asked for with the old password. Returns
     * how many sessions ended, or empty when the token was used, replaced or expired.
     */
    public OptionalInt completeReset(TokenHolder holder, String newPasswordHash, Instant now) {
        OneTimeTokenRecord token = holder.token();
        return UserStore.retryingRaces(table, "a password reset", holder.user().item, OptionalInt::empty, user -> {
            if (user.passwordHash().equals(newPasswordHash)) {
                return Optional.of(OptionalInt.of(0)); // an attempt whose answer was lost had completed it
            }
            if (!user.liveToken(TokenPurpose.PASSWORD_RESET).filter(token.tokenHash()::equals).isPresent()) {
                return Optional.of(OptionalInt.empty());
            }
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":hash", s(newPasswordHash));
            values.put(":now", s(now.toString()));
            values.put(":zero", n(0));
            values.put(":nextVersion", SessionStore.nextSessionsVersion(user));
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(consume(token, now));
            writes.add(table.update(user.userId(),
                    "SET passwordHash = :hash, passwordChangedAt = :now, updatedAt = :now, failedLogins = :zero, "
                            + "sessionsVersion = :nextVersion REMOVE resetToken, lockedUntil, sessionIds, "
                            + "emailChangeToken",
                    values, Condition.of("resetToken = :token", ":token", s(token.tokenHash()))
                            .and(SessionStore.sessionsUnchanged(user))
                            .and(TokenPurpose.EMAIL_CHANGE.unchangedOn(user))));
            writes.addAll(sessions.deletes(user.sessionIds()));
            user.liveToken(TokenPurpose.EMAIL_CHANGE)
                    .ifPresent(hash -> writes.add(table.delete(TokenPurpose.EMAIL_CHANGE.key(hash))));
            var reasons = table.transact(writes);
            if (reasons.isEmpty()) {
                return Optional.of(OptionalInt.of(user.sessionIds().size()));
            }
            if ("ConditionalCheckFailed".equals(reasons.get(0).code())) {
                return Optional.of(OptionalInt.empty()); // the token was used or expired meanwhile
            }
            return Optional.empty(); // the user changed meanwhile: read it again
        });
    }

    /** What an email change did: the user as it was before, and its new address. */
    public record EmailChange(User before, String newEmail) {
    }

    /**
     * In one transaction: consumes the email-change token, deletes the user's claim of its old address, claims the
     * new one (a new item: of two users racing for one address one wins), sets the user's email and marks it
     * verified (the link proved the new address), and withdraws the reset and verification links sent to the old
     * address. A request racing it on the user (a new reset link, say) makes it read the user again. Returns the
     * change, or empty when the token was used, replaced or expired meanwhile; throws
     * {@link EmailAlreadyClaimedException} when another account holds the new address.
     */
    public Optional<EmailChange> completeEmailChange(TokenHolder holder, Instant now) {
        OneTimeTokenRecord token = holder.token();
        String newEmail = token.pendingEmail()
                .orElseThrow(() -> new IllegalArgumentException("not an email-change token"));
        return UserStore.retryingRaces(table, "an email change", holder.user().item, Optional::empty, user -> {
            String oldEmail = user.user().email();
            if (!user.liveToken(TokenPurpose.EMAIL_CHANGE).filter(token.tokenHash()::equals).isPresent()
                    || oldEmail.equals(newEmail)) {
                return Optional.of(Optional.empty());
            }
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":email", s(newEmail));
            values.put(":now", s(now.toString()));
            Condition stillTheLinkAndAddress = new Condition("emailChangeToken = :token AND email = :oldEmail",
                    Map.of(":token", s(token.tokenHash()), ":oldEmail", s(oldEmail)));
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(consume(token, now));
            writes.add(table.update(user.userId(),
                    "SET email = :email, emailVerifiedAt = :now, updatedAt = :now "
                            + "REMOVE emailChangeToken, resetToken, verifyToken",
                    values, stillTheLinkAndAddress
                            .and(TokenPurpose.PASSWORD_RESET.unchangedOn(user))
                            .and(TokenPurpose.EMAIL_VERIFICATION.unchangedOn(user))));
            writes.add(table.delete(ItemKind.EMAIL_CLAIM.key(oldEmail),
                    Condition.of("ownerId = :owner", ":owner", s(user.userId()))));
            writes.add(table.put(Map.of(
                    USER_ID, s(ItemKind.EMAIL_CLAIM.key(newEmail)),
                    OWNER_ID, s(user.userId()),
                    CREATED_AT, s(now.toString())), ITEM_IS_NEW));
            for (TokenPurpose mailedToOldAddress : List.of(TokenPurpose.PASSWORD_RESET, TokenPurpose.EMAIL_VERIFICATION)) {
                user.liveToken(mailedToOldAddress)
                        .ifPresent(hash -> writes.add(table.delete(mailedToOldAddress.key(hash))));
            }
            var reasons = table.transact(writes);
            if (reasons.isEmpty()) {
                return Optional.of(Optional.of(new EmailChange(user.user(), newEmail)));
            }
            if (conditionFailed(reasons, 0)) {
                return Optional.of(Optional.empty()); // the token was used or expired meanwhile
            }
            if (conditionFailed(reasons, 1)) {
                return Optional.empty(); // the user changed meanwhile: read it again
            }
            if (conditionFailed(reasons, 3)) {
                throw new EmailAlreadyClaimedException();
            }
            throw new IllegalStateException("email change cancelled: "
                    + reasons.stream().map(CancellationReason::code).toList()); // the old claim is not the user's
        });
    }

    /** The token's user, as long as the token is still that user's live one. */
    private Optional<UserItem> holderOf(OneTimeTokenRecord token) {
        return UserStore.read(table, token.ownerId())
                .filter(u -> u.liveToken(token.purpose()).filter(token.tokenHash()::equals).isPresent());
    }

    /** Deletes the token's item if it is still unexpired and the user's: of two racing uses one wins. */
    private TransactWriteItem consume(OneTimeTokenRecord token, Instant now) {
        return table.delete(token.purpose().key(token.tokenHash()),
                new Condition("ownerId = :owner AND " + TTL + " > :now",
                        Map.of(":owner", s(token.ownerId()), ":now", n(now.getEpochSecond()))));
    }
}
