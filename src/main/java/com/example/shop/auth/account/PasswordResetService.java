package com.example.shop.auth.account;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.mail.Mailer;
import com.example.shop.auth.store.ResetTokenRecord;
import com.example.shop.auth.store.UserRecord;
import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.token.ResetTokens;

import software.amazon.awssdk.core.exception.SdkException;

@ApplicationScoped
public class PasswordResetService {

    private static final Logger LOG = Logger.getLogger(PasswordResetService.class);
    /** A reset request that loses a race with another one for the same user tries again this often. */
    private static final int ATTEMPTS = 3;

    private final UserStore store;
    private final ResetTokens resetTokens;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final Mailer mailer;
    private final Clock clock;
    private final AuthConfig.Reset config;
    private final AuthEvents events;

    public PasswordResetService(UserStore store, ResetTokens resetTokens, PasswordPolicy policy, PasswordHasher hasher,
            Mailer mailer, Clock clock, AuthConfig config, AuthEvents events) {
        this.events = events;
        this.store = store;
        this.resetTokens = resetTokens;
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
            Optional<UserRecord> user = store.findUserByEmail(email);
            if (user.isEmpty()) {
                return null;
            }
            String token = resetTokens.newToken();
            Instant now = clock.instant();
            ResetTokenRecord record = new ResetTokenRecord(ResetTokens.hash(token), user.get().userId(),
                    now.plus(config.tokenTtl()), now);
            if (store.replaceResetToken(user.get(), record)) {
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
            store.revokeResetToken(user.userId(), record.tokenHash());
        }
    }

    private String link(String token) {
        String base = config.linkBaseUrl();
        return base + (base.contains("?") ? "&" : "?") + "token=" + token;
    }

    public void confirmReset(String token, String rawNewPassword) {
        if (!ResetTokens.looksLikeToken(token)) {
            throw new InvalidResetTokenException();
        }
        String tokenHash = ResetTokens.hash(token);
        Instant now = clock.instant();
        ResetTokenRecord record = store.findResetToken(tokenHash)
                .filter(r -> now.isBefore(r.expiresAt())) // TTL deletion lags, so expiry is checked here too
                .orElseThrow(InvalidResetTokenException::new);
        UserRecord user = store.findUser(record.ownerId())
                .filter(u -> u.resetTokenHash().filter(tokenHash::equals).isPresent())
                .orElseThrow(InvalidResetTokenException::new);

        String password = rawNewPassword == null ? null : PasswordPolicy.normalise(rawNewPassword);
        String problem = policy.problem(password, user.email());
        if (problem != null) {
            throw new InvalidInputException("newPassword", problem);
        }
        if (!store.completeReset(user.userId(), tokenHash, hasher.hash(password), now)) {
            throw new InvalidResetTokenException();
        }
        events.resetCompleted(user.userId());
        try {
            mailer.sendPasswordChanged(user.email());
        } catch (SdkException e) {
            LOG.errorf("Password-changed notice for user %s could not be sent (%s)", user.userId(),
                    e.getClass().getSimpleName());
        }
    }
}
