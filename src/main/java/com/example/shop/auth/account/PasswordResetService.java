package com.example.shop.auth.account;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.mail.Mailer;
import com.example.shop.auth.store.ResetTokenRecord;
import com.example.shop.auth.store.ResetTokenStore;
import com.example.shop.auth.store.UserRecord;
import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.token.RandomTokens;

import software.amazon.awssdk.core.exception.SdkException;

@ApplicationScoped
public class PasswordResetService {

    private static final Logger LOG = Logger.getLogger(PasswordResetService.class);
    /** A reset request that loses a race with another one for the same user tries again this often. */
    private static final int ATTEMPTS = 3;

    private final UserStore users;
    private final ResetTokenStore resetTokens;
    private final RandomTokens randomTokens;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final Mailer mailer;
    private final Clock clock;
    private final AuthConfig.Reset config;
    private final AuthEvents events;

    public PasswordResetService(UserStore users, ResetTokenStore resetTokens, RandomTokens randomTokens,
            PasswordPolicy policy, PasswordHasher hasher, Mailer mailer, Clock clock, AuthConfig config,
            AuthEvents events) {
        this.events = events;
        this.users = users;
        this.resetTokens = resetTokens;
        this.randomTokens = randomTokens;
        this.policy = policy;
        this.hasher = hasher;
        this.mailer = mailer;
        this.clock = clock;
        this.config = config.reset();
    }

    /**
     * Emails a reset link when the account exists; says nothing either way. Every request takes at least
     * {@code auth.reset.min-response-time}, so the extra writes and the email for a real account cannot be told
     * from the single read for an unknown email by timing.
     */
    public void requestReset(String rawEmail) {
        String email = InputRules.normaliseEmail(rawEmail);
        if (email == null) {
            throw new InvalidInputException("email", InputRules.emailProblem(rawEmail));
        }
        long started = System.nanoTime();
        try {
            events.resetRequested(issueAndSend(email), email);
        } finally {
            waitUntil(started + config.minResponseTime().toNanos());
        }
    }

    /** Returns the user id when a link was sent, null when there is no such account. */
    private String issueAndSend(String email) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<UserRecord> user = users.findUserByEmail(email);
            if (user.isEmpty()) {
                return null;
            }
            String token = randomTokens.newToken();
            Instant now = clock.instant();
            ResetTokenRecord record = new ResetTokenRecord(RandomTokens.hash(token), user.get().userId(),
                    now.plus(config.tokenTtl()), now);
            if (resetTokens.replaceResetToken(user.get(), record)) {
                deliver(user.get(), token, record);
                return user.get().userId();
            }
        }
        LOG.warnf("A reset request lost %d races in a row with other requests for the same user; no link sent", ATTEMPTS);
        return null;
    }

    private static void waitUntil(long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return;
        }
        try {
            Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(UserRecord user, String token, ResetTokenRecord record) {
        try {
            mailer.sendResetLink(user.email(), link(token), config.tokenTtl());
        } catch (SdkException e) {
            // A link nobody received must not stay usable: withdraw it, and let the user ask again.
            LOG.errorf("Reset email for user %s could not be sent (%s); the token was withdrawn", user.userId(),
                    e.getClass().getSimpleName());
            resetTokens.revokeResetToken(user.userId(), record.tokenHash());
        }
    }

    private String link(String token) {
        String base = config.linkBaseUrl();
        return base + (base.contains("?") ? "&" : "?") + "token=" + token;
    }

    /** Sets the new password and ends every session of the user, consuming the token. */
    public void confirmReset(String token, String rawNewPassword) {
        if (!RandomTokens.looksLikeToken(token)) {
            throw new InvalidResetTokenException();
        }
        String tokenHash = RandomTokens.hash(token);
        Instant now = clock.instant();
        ResetTokenRecord record = resetTokens.findResetToken(tokenHash)
                .filter(r -> now.isBefore(r.expiresAt())) // TTL deletion lags, so expiry is checked here too
                .orElseThrow(InvalidResetTokenException::new);
        UserRecord user = holderOf(record);

        String password = rawNewPassword == null ? null : PasswordPolicy.normalise(rawNewPassword);
        String problem = policy.problem(password, user.email());
        if (problem != null) {
            throw new InvalidInputException("newPassword", problem);
        }
        String newHash = hasher.hash(password);
        // A login or sign-out racing the reset changes the user's session list: read it again and retry.
        for (int attempt = 1; !resetTokens.completeReset(user, tokenHash, newHash, now); attempt++) {
            if (attempt >= ATTEMPTS) {
                throw new IllegalStateException("a reset lost " + ATTEMPTS + " races in a row with session changes");
            }
            user = holderOf(record);
        }
        events.resetCompleted(user.userId(), user.sessionIds().size());
        try {
            mailer.sendPasswordChanged(user.email());
        } catch (SdkException e) {
            LOG.errorf("Password-changed notice for user %s could not be sent (%s)", user.userId(),
                    e.getClass().getSimpleName());
        }
    }

    /** The token's user, as long as the token is still the user's live one. */
    private UserRecord holderOf(ResetTokenRecord token) {
        return users.findUser(token.ownerId())
                .filter(u -> u.resetTokenHash().filter(token.tokenHash()::equals).isPresent())
                .orElseThrow(InvalidResetTokenException::new);
    }
}
