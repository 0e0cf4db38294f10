package com.example.shop.auth.admin;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.example.shop.auth.account.InputRules;
import com.example.shop.auth.account.InvalidInputException;
import com.example.shop.auth.account.PasswordResetService;
import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.mail.Mailer;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.TotpStore;
import com.example.shop.auth.store.PasskeyStore;
import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.passkey.UnknownPasskeyException;
import com.example.shop.auth.token.RandomTokens;
import com.example.shop.auth.store.UserStore.PageKey;
import com.example.shop.auth.user.User;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * What a shop's support and security staff do to customers' accounts: find, list, disable and enable, unlock,
 * sign out everywhere, send a reset, delete. Every action writes an audit line naming the operator (the IAM
 * caller) and the account.
 */
@ApplicationScoped
public class AdminService {

    private static final Logger LOG = Logger.getLogger(AdminService.class);
    public static final int MAX_PAGE = 100;
    private static final int MAX_REASON_LENGTH = 500;
    private static final String CURSOR_VERSION = "v1";

    private final UserStore users;
    private final TotpStore totp;
    private final PasskeyStore passkeys;
    private final PasswordResetService resets;
    private final Mailer mailer;
    private final Clock clock;
    private final AuthEvents events;

    public AdminService(UserStore users, TotpStore totp, PasskeyStore passkeys, PasswordResetService resets,
            Mailer mailer, Clock clock, AuthEvents events) {
        this.users = users;
        this.totp = totp;
        this.passkeys = passkeys;
        this.resets = resets;
        this.mailer = mailer;
        this.clock = clock;
        this.events = events;
    }

    /** An account as an operator sees it: the user, and how many sessions its item lists. */
    public record Account(User user, int sessions) {
    }

    public record AccountPage(List<Account> accounts, Optional<String> nextCursor) {
    }

    public Optional<Account> findByEmail(String caller, String rawEmail) {
        String email = InputRules.normaliseEmail(rawEmail);
        if (email == null) {
            throw new InvalidInputException("email", InputRules.emailProblem(rawEmail));
        }
        Optional<StoredUser> found = users.findByEmail(email);
        events.adminAction(caller, "find_by_email", found.map(StoredUser::userId).orElse(null), email);
        return found.map(AdminService::account);
    }

    public Account get(String caller, String userId) {
        Account account = account(existing(userId));
        events.adminAction(caller, "get", userId, null);
        return account;
    }

    /** A page of accounts; the cursor is opaque to callers, and a cursor that is not one of ours is refused. */
    public AccountPage list(String caller, int limit, Optional<String> cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidInputException("limit", "limit must be between 1 and " + MAX_PAGE + ".");
        }
        var page = users.page(limit, cursor.map(AdminService::decodeCursor));
        events.adminAction(caller, "list", null, null);
        return new AccountPage(page.users().stream().map(AdminService::account).toList(),
                page.next().map(AdminService::encodeCursor));
    }

    public void disable(String caller, String userId, String rawReason) {
        String reason = rawReason == null ? null : rawReason.strip();
        if (reason == null || reason.isEmpty() || reason.length() > MAX_REASON_LENGTH
                || reason.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("reason",
                    "Give a reason of 1-" + MAX_REASON_LENGTH + " characters, without control characters.");
        }
        requireUserId(userId);
        int ended = users.disable(userId, reason, clock.instant()).orElseThrow(UnknownUserException::new);
        events.adminAction(caller, "disable", userId, null);
        LOG.debugf("Disabling user %s ended %d sessions", userId, ended);
    }

    public void enable(String caller, String userId) {
        requireUserId(userId);
        if (!users.enable(userId, clock.instant())) {
            throw new UnknownUserException();
        }
        events.adminAction(caller, "enable", userId, null);
    }

    public void signOutEverywhere(String caller, String userId) {
        requireUserId(userId);
        users.signOutEverywhere(userId).orElseThrow(UnknownUserException::new);
        events.adminAction(caller, "sign_out", userId, null);
    }

    public void unlock(String caller, String userId) {
        requireUserId(userId);
        if (!users.unlock(userId)) {
            throw new UnknownUserException();
        }
        events.adminAction(caller, "unlock", userId, null);
    }

    /** Emails the customer a reset link; a disabled account gets none (enable it first). */
    public void sendPasswordReset(String caller, String userId) {
        StoredUser user = existing(userId);
        if (user.user().disabled()) {
            throw new AccountDisabledForResetException();
        }
        boolean sent = resets.sendLink(user);
        events.adminAction(caller, sent ? "password_reset" : "password_reset_not_sent", userId, null);
    }

    /** Removes the account's TOTP secret (confirmed or pending) and recovery codes; its passkeys stay. */
    public void removeMfa(String caller, String userId) {
        requireUserId(userId);
        if (!totp.removeAll(userId, clock.instant())) {
            throw new UnknownUserException();
        }
        events.adminAction(caller, "remove_mfa", userId, null);
    }

    /** Removes one passkey of the account; 404 when the account has no such passkey. */
    public void deletePasskey(String caller, String userId, String passkeyId) {
        existing(userId);
        if (passkeyId == null || !RandomTokens.isCanonicalBase64Url(passkeyId) || passkeyId.isEmpty()
                || !passkeys.delete(userId, passkeyId)) {
            throw new UnknownPasskeyException();
        }
        events.passkeyDeleted(userId, passkeyId);
        events.adminAction(caller, "delete_passkey", userId, null);
    }

    /** Deletes the account and everything stored with it, as the customer's own deletion does, and tells them. */
    public void delete(String caller, String userId) {
        StoredUser user = existing(userId);
        users.deleteAccount(user).ifPresent(deleted -> {
            events.accountDeleted(userId);
            try {
                mailer.sendAccountDeletedBySupport(deleted.email());
            } catch (SdkException e) {
                LOG.errorf("Notice email for user %s could not be sent (%s)", userId, e.getClass().getSimpleName());
            }
        });
        events.adminAction(caller, "delete", userId, null);
    }

    private StoredUser existing(String userId) {
        requireUserId(userId);
        return users.find(userId).orElseThrow(UnknownUserException::new);
    }

    private static void requireUserId(String userId) {
        try {
            if (userId != null && UUID.fromString(userId).toString().equals(userId)) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new InvalidInputException("userId", "userId must be a user's id (a lower-case UUID).");
    }

    private static Account account(StoredUser stored) {
        return new Account(stored.user(), stored.listedSessions());
    }

    private static String encodeCursor(PageKey key) {
        String plain = CURSOR_VERSION + "\n" + key.userId() + "\n" + key.email();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether a cursor's email could be a stored one. Not today's email rule: users stored under the looser rule
     * before may hold an email it refuses, and the cursor after such a user must still work. Every rule so far
     * stored emails trimmed, lower-cased, with one {@code @} (not first) and no spaces or control characters.
     */
    private static boolean hasAStoredEmailsShape(String email) {
        int at = email.indexOf('@');
        return at > 0 && at == email.lastIndexOf('@') && email.equals(email.toLowerCase(Locale.ROOT))
                && email.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                        || Character.isISOControl(c));
    }

    /** The page key a cursor of ours holds; anything else (edited, truncated, made up) is a 400. */
    private static PageKey decodeCursor(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length == 3 && parts[0].equals(CURSOR_VERSION)
                    && UUID.fromString(parts[1]).toString().equals(parts[1])
                    && hasAStoredEmailsShape(parts[2])
                    && encodeCursor(new PageKey(parts[1], parts[2])).equals(cursor)) {
                return new PageKey(parts[1], parts[2]);
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new InvalidInputException("cursor", "The cursor is not one this API returned.");
    }
}
