package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.CREATED_AT;
import static com.example.shop.auth.store.ItemTable.ITEM_EXISTS;
import static com.example.shop.auth.store.ItemTable.ITEM_IS_NEW;
import static com.example.shop.auth.store.ItemTable.OWNER_ID;
import static com.example.shop.auth.store.ItemTable.USER_ID;
import static com.example.shop.auth.store.ItemTable.longOf;
import static com.example.shop.auth.store.ItemTable.n;
import static com.example.shop.auth.store.ItemTable.required;
import static com.example.shop.auth.store.ItemTable.s;
import static com.example.shop.auth.store.ItemTable.stringOf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.user.User;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Users (key: a UUID) and their email claims ({@code EMAIL#<email>}), which make emails unique. Only user items
 * carry {@code email}, so the {@code email-index} GSI holds users only, and a user item never carries the TTL
 * attribute, so TTL can never delete a user.
 */
@ApplicationScoped
public class UserStore {

    private static final String EMAIL = Attribute.EMAIL.attributeName();
    /** The users-only global secondary index (partition key {@code email}). */
    private static final String EMAIL_INDEX = "email-index";
    private static final Condition IS_A_USER = Condition.of("attribute_exists(email)");

    private final ItemTable table;
    private final SessionStore sessions;

    UserStore(ItemTable table, SessionStore sessions) {
        this.table = table;
        this.sessions = sessions;
    }

    /** A store outside the application (the user import), on a client and table of the caller's. */
    public static UserStore standalone(DynamoDbClient dynamo, String tableName) {
        ItemTable table = new ItemTable(dynamo, tableName);
        return new UserStore(table, new SessionStore(table));
    }

    /**
     * Writes a new user and its email claim together; exactly one of any number of racing signups (or imports) of
     * one email wins, the others get {@link EmailAlreadyClaimedException} ({@link UserIdTakenException} when an
     * imported user's chosen id exists).
     */
    public StoredUser create(String userId, String email, String passwordHash, String name, Instant createdAt) {
        UserItem user = UserItem.newUser(userId, email, passwordHash, name, createdAt);
        Map<String, AttributeValue> userItem = new HashMap<>();
        userItem.put(USER_ID, s(userId));
        userItem.put(EMAIL, s(email));
        userItem.put(Attribute.PASSWORD_HASH.attributeName(), s(passwordHash));
        userItem.put(Attribute.NAME.attributeName(), s(name));
        userItem.put(CREATED_AT, s(createdAt.toString()));
        userItem.put(Attribute.UPDATED_AT.attributeName(), s(createdAt.toString()));
        userItem.put(Attribute.FAILED_LOGINS.attributeName(), n(0));

        Map<String, AttributeValue> claim = Map.of(
                USER_ID, s(ItemKind.EMAIL_CLAIM.key(email)),
                OWNER_ID, s(userId),
                CREATED_AT, s(createdAt.toString()));

        var reasons = table.transact(List.of(table.put(userItem, ITEM_IS_NEW), table.put(claim, ITEM_IS_NEW)));
        if (!reasons.isEmpty() && isOwnClaim(email, userId)) {
            return new StoredUser(user); // an attempt whose answer was lost had written both
        }
        if (!reasons.isEmpty()) {
            throw "ConditionalCheckFailed".equals(reasons.get(1).code()) ? new EmailAlreadyClaimedException()
                    : new UserIdTakenException();
        }
        return new StoredUser(user);
    }

    private boolean isOwnClaim(String email, String userId) {
        return table.get(ItemKind.EMAIL_CLAIM.key(email)).filter(claim -> userId.equals(required(claim, Attribute.OWNER_ID)))
                .isPresent();
    }

    public Optional<StoredUser> findByEmail(String normalisedEmail) {
        return table.get(ItemKind.EMAIL_CLAIM.key(normalisedEmail))
                .map(claim -> required(claim, Attribute.OWNER_ID))
                .flatMap(this::find);
    }

    public Optional<StoredUser> find(String userId) {
        return read(userId).map(StoredUser::new);
    }

    /**
     * Counts one more consecutive failed login, and locks the account until the moment {@code lockFor} gives for
     * the new count, in one write. Returns the count and the lock.
     */
    public FailedLogin recordFailedLogin(StoredUser user, IntFunction<Optional<Duration>> lockFor, Instant now) {
        return retryingRaces("counting a failed login", user.item, () -> new FailedLogin(0, Optional.empty()), read -> {
            int count = read.user().failedLogins() + 1;
            Optional<Instant> lockedUntil = lockFor.apply(count).map(now::plus);
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":count", n(count));
            lockedUntil.ifPresent(until -> values.put(":until", s(until.toString())));
            boolean written = table.updateIf(read.userId(),
                    "SET failedLogins = :count" + (lockedUntil.isPresent() ? ", lockedUntil = :until" : ""),
                    values, ITEM_EXISTS.and(failedLoginsAre(read.user().failedLogins())));
            return written ? Optional.of(new FailedLogin(count, lockedUntil)) : Optional.empty();
        });
    }

    /** The consecutive failures counted so far, and the lock they set (if any). */
    public record FailedLogin(int count, Optional<Instant> lockedUntil) {
    }

    /**
     * Replaces the password hash with one of the same password at a higher cost, unless the hash changed meanwhile
     * (a reset, a change): then the newer password stays, and nothing is written. True when it was replaced.
     */
    public boolean rehash(StoredUser verified, String strongerHash) {
        return table.updateIf(verified.userId(), "SET passwordHash = :hash", Map.of(":hash", s(strongerHash)),
                Condition.of("passwordHash = :old", ":old", s(verified.passwordHash())));
    }

    /**
     * The reads and writes a wrong password costs a real account (its user item read, its failure counted), spent
     * for an email no account has: one consistent read of a key no item has, and one conditional update of it that
     * cannot apply. So an unknown email cannot be told from a known one by the time a failed login takes.
     */
    public void spendAFailedLoginsWork() {
        String nobody = UUID.randomUUID().toString();
        read(nobody);
        table.updateIf(nobody, "SET failedLogins = :count", Map.of(":count", n(1)), IS_A_USER);
    }

    public void clearFailedLogins(String userId) {
        table.updateIf(userId, "SET failedLogins = :zero REMOVE lockedUntil", Map.of(":zero", n(0)), ITEM_EXISTS);
    }

    /** Sets the display name; empty when the user no longer exists. */
    public Optional<User> rename(String userId, String name, Instant now) {
        return table.updateReturning(userId, "SET #name = :name, updatedAt = :now",
                Map.of(":name", s(name), ":now", s(now.toString())), IS_A_USER,
                Map.of("#name", Attribute.NAME.attributeName()))
                .map(item -> toUserItem(item).user());
    }

    /**
     * Sets the new password hash and ends every session of the user but {@code keptSessionId}, in one transaction;
     * a pending reset link stops working too, and so does a pending email change (asked for with the old
     * password, perhaps by whoever made the user change it). Returns how many sessions ended, or empty when the
     * password that was verified is no longer the user's (a reset or another change won the race) or the user is
     * gone.
     */
    public OptionalInt changePassword(StoredUser verified, String keptSessionId, String newPasswordHash,
            Instant now) {
        return retryingRaces("a password change", verified.item, OptionalInt::empty, user -> {
            if (user.passwordHash().equals(newPasswordHash)) {
                return Optional.of(OptionalInt.of(0)); // an attempt whose answer was lost had changed it
            }
            if (!user.passwordHash().equals(verified.passwordHash())) {
                return Optional.of(OptionalInt.empty());
            }
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":hash", s(newPasswordHash));
            values.put(":now", s(now.toString()));
            values.put(":zero", n(0));
            values.put(":kept", AttributeValue.fromSs(List.of(keptSessionId)));
            values.put(":nextVersion", SessionStore.nextSessionsVersion(user));
            List<String> ending = user.sessionIds().stream().filter(id -> !id.equals(keptSessionId)).toList();
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(table.update(user.userId(),
                    "SET passwordHash = :hash, passwordChangedAt = :now, updatedAt = :now, failedLogins = :zero, "
                            + "sessionIds = :kept, sessionsVersion = :nextVersion "
                            + "REMOVE lockedUntil, resetToken, emailChangeToken",
                    values, Condition.of("passwordHash = :old", ":old", s(user.passwordHash()))
                            .and(SessionStore.sessionsUnchanged(user))
                            .and(TokenPurpose.EMAIL_CHANGE.unchangedOn(user))));
            writes.addAll(sessions.deletes(ending));
            user.resetTokenHash().ifPresent(hash -> writes.add(table.delete(TokenPurpose.PASSWORD_RESET.key(hash))));
            user.liveToken(TokenPurpose.EMAIL_CHANGE)
                    .ifPresent(hash -> writes.add(table.delete(TokenPurpose.EMAIL_CHANGE.key(hash))));
            return table.transactUnlessConditionFails(writes, 0) ? Optional.of(OptionalInt.of(ending.size()))
                    : Optional.empty();
        });
    }

    /**
     * Deletes the user and every item of the account (email claim, one-time tokens, sessions, passkeys) in one transaction,
     * so no user is ever left without its claim nor a claim without its user. A login or a new link racing the
     * deletion makes it read the account again and delete what is there then. Returns the deleted user, or empty
     * when it was already gone.
     */
    public Optional<User> deleteAccount(StoredUser verified) {
        return retryingRaces("an account deletion", verified.item, Optional::empty, user -> {
            Condition unchanged = SessionStore.sessionsUnchanged(user).and(PasskeyStore.passkeysUnchanged(user))
                    .and(ChallengeStore.registrationChallengeUnchanged(user));
            for (TokenPurpose purpose : TokenPurpose.values()) {
                unchanged = unchanged.and(purpose.unchangedOn(user));
            }
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(table.delete(user.userId(), unchanged));
            writes.add(table.delete(ItemKind.EMAIL_CLAIM.key(user.user().email()),
                    Condition.of("ownerId = :owner", ":owner", s(user.userId()))));
            for (TokenPurpose purpose : TokenPurpose.values()) {
                user.liveToken(purpose).ifPresent(hash -> writes.add(table.delete(purpose.key(hash))));
            }
            writes.addAll(sessions.deletes(user.sessionIds()));
            writes.addAll(PasskeyStore.deletes(table, user.passkeyIds()));
            user.passkeyChallenge().ifPresent(hash -> writes.add(table.delete(ItemKind.CHALLENGE.key(hash))));
            return table.transactUnlessConditionFails(writes, 0) ? Optional.of(Optional.of(user.user()))
                    : Optional.empty();
        });
    }

    /** Ends every session of the user at once (an operator's "sign out everywhere"); empty when there is no user. */
    public OptionalInt signOutEverywhere(String userId) {
        return endingAllSessions("signing out everywhere", userId, "", Map.of());
    }

    /** Disables the account and ends every session of it; empty when there is no user. */
    public OptionalInt disable(String userId, String reason, Instant now) {
        return endingAllSessions("disabling an account", userId,
                ", disabledAt = :now, disabledReason = :reason, updatedAt = :now",
                Map.of(":now", s(now.toString()), ":reason", s(reason)));
    }

    /** Enables a disabled account again; false when there is no user. */
    public boolean enable(String userId, Instant now) {
        return table.updateIf(userId, "SET updatedAt = :now REMOVE disabledAt, disabledReason",
                Map.of(":now", s(now.toString())), IS_A_USER);
    }

    /** Clears the failed-login count and any lock; false when there is no user. */
    public boolean unlock(String userId) {
        return table.updateIf(userId, "SET failedLogins = :zero REMOVE lockedUntil", Map.of(":zero", n(0)), IS_A_USER);
    }

    /** Where a page of users starts: the last user of the page before (the index's key and the table's). */
    public record PageKey(String userId, String email) {
    }

    /** A page of users, and where the next one starts (empty on the last page). */
    public record UserPage(List<StoredUser> users, Optional<PageKey> next) {
    }

    /**
     * One page of users, read from the email-index: only user items carry {@code email}, so the index holds users
     * only and a page reads {@code limit} users, never the sessions and tokens beside them. Eventually consistent,
     * like every index read.
     */
    public UserPage page(int limit, Optional<PageKey> after) {
        var response = table.scanIndex(EMAIL_INDEX, limit, after.map(key -> Map.of(
                USER_ID, s(key.userId()), EMAIL, s(key.email()))));
        List<StoredUser> users = response.items().stream().flatMap(item -> userOf(item).stream()).map(StoredUser::new)
                .toList();
        Optional<PageKey> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Optional.of(new PageKey(response.lastEvaluatedKey().get(USER_ID).s(),
                        response.lastEvaluatedKey().get(EMAIL).s()))
                : Optional.empty();
        return new UserPage(users, next);
    }

    /**
     * Ends every session of the user in one transaction that also applies {@code alsoSet} (more SET clauses, with
     * {@code alsoValues}) to the user item; a login racing it makes it read the user again, so no session survives.
     */
    private OptionalInt endingAllSessions(String operation, String userId, String alsoSet,
            Map<String, AttributeValue> alsoValues) {
        return read(userId).map(first -> retryingRaces(operation, first, OptionalInt::empty, user -> {
            Map<String, AttributeValue> values = new HashMap<>(alsoValues);
            values.put(":nextVersion", SessionStore.nextSessionsVersion(user));
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(table.update(user.userId(), "SET sessionsVersion = :nextVersion" + alsoSet + " REMOVE sessionIds",
                    values, SessionStore.sessionsUnchanged(user)));
            writes.addAll(sessions.deletes(user.sessionIds()));
            return table.transactUnlessConditionFails(writes, 0) ? Optional.of(OptionalInt.of(user.sessionIds().size()))
                    : Optional.empty();
        })).orElse(OptionalInt.empty());
    }

    /** One read of a key no item can have (user ids are UUIDs, other items carry a prefix), to warm the client. */
    public void warmUp() {
        table.get("WARM-UP");
    }

    Optional<UserItem> read(String userId) {
        return read(table, userId);
    }

    static Optional<UserItem> read(ItemTable table, String userId) {
        return table.get(userId).flatMap(UserStore::userOf);
    }

    /** The user the item holds; empty for an item that is no user (a stub left by a racing update). */
    static Optional<UserItem> userOf(Map<String, AttributeValue> item) {
        return item.containsKey(EMAIL) ? Optional.of(toUserItem(item)) : Optional.empty();
    }

    /**
     * Runs an operation on a user that starts from {@code first} as read and, each time it loses a race (the
     * attempt returns empty), reads the user again; {@code whenGone} is the result once the user no longer exists.
     */
    private <T> T retryingRaces(String operation, UserItem first, Supplier<T> whenGone,
            Function<UserItem, Optional<T>> attempt) {
        return retryingRaces(table, operation, first, whenGone, attempt);
    }

    static <T> T retryingRaces(ItemTable table, String operation, UserItem first, Supplier<T> whenGone,
            Function<UserItem, Optional<T>> attempt) {
        boolean[] readAgain = {false};
        return table.retryingRaces(operation, () -> {
            Optional<UserItem> user = readAgain[0] ? read(table, first.userId()) : Optional.of(first);
            readAgain[0] = true;
            return user.isEmpty() ? Optional.of(whenGone.get()) : attempt.apply(user.get());
        });
    }

    /** The user item's failed-login count is still the one read (imported users may lack the attribute). */
    private static Condition failedLoginsAre(int count) {
        Condition equal = Condition.of("failedLogins = :readCount", ":readCount", n(count));
        return count == 0 ? new Condition("(attribute_not_exists(failedLogins) OR " + equal.expression() + ")",
                equal.values()) : equal;
    }

    private static UserItem toUserItem(Map<String, AttributeValue> item) {
        User user = new User(
                required(item, Attribute.USER_ID),
                required(item, Attribute.EMAIL),
                required(item, Attribute.NAME),
                Instant.parse(required(item, Attribute.CREATED_AT)),
                Instant.parse(required(item, Attribute.UPDATED_AT)),
                instant(item, Attribute.EMAIL_VERIFIED_AT),
                instant(item, Attribute.PASSWORD_CHANGED_AT),
                (int) longOf(item, Attribute.FAILED_LOGINS),
                instant(item, Attribute.LOCKED_UNTIL),
                instant(item, Attribute.DISABLED_AT),
                stringOf(item, Attribute.DISABLED_REASON),
                item.containsKey(Attribute.TOTP_SECRET.attributeName()),
                PasskeyStore.passkeyIdsOf(item).size());
        AttributeValue sessionIds = item.get(Attribute.SESSION_IDS.attributeName());
        return new UserItem(user, required(item, Attribute.PASSWORD_HASH),
                stringOf(item, Attribute.RESET_TOKEN), stringOf(item, Attribute.VERIFY_TOKEN),
                stringOf(item, Attribute.EMAIL_CHANGE_TOKEN),
                sessionIds == null ? Set.of() : Set.copyOf(sessionIds.ss()), longOf(item, Attribute.SESSIONS_VERSION),
                DeviceStore.devicesOf(user.userId(), item), TotpStore.totpOf(item), PasskeyStore.passkeyIdsOf(item),
                stringOf(item, Attribute.PASSKEY_CHALLENGE));
    }

    private static Optional<Instant> instant(Map<String, AttributeValue> item, Attribute attribute) {
        return stringOf(item, attribute).map(Instant::parse);
    }
}
