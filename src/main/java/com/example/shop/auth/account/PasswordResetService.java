package com.example.shop.auth.account;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.account.OneTimeLinks.Holder;
import com.example.shop.auth.mail.Links;
import com.example.shop.auth.mail.Mailer;
import com.example.shop.auth.store.OneTimeTokenStore;
import com.example.shop.auth.store.TokenPurpose;
import com.example.shop.auth.store.UserRecord;
import com.example.shop.auth.store.UserStore;

import software.amazon.awssdk.core.exception.SdkException;

@ApplicationScoped
public class PasswordResetService {

    private static final Logger LOG = Logger.getLogger(PasswordResetService.class);
    /** A confirm that loses a race with a login or sign-out of the same user tries again this often. */
    private static final int ATTEMPTS = 3;

    private final UserStore users;
    private final OneTimeTokenStore tokens;
    private final OneTimeLinks oneTimeLinks;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final Mailer mailer;
    private final Links links;
    private final Clock clock;
    private final AuthConfig.Reset config;
    private final AuthEvents events;

    public PasswordResetService(UserStore users, OneTimeTokenStore tokens, OneTimeLinks oneTimeLinks,
            PasswordPolicy policy, PasswordHasher hasher, Mailer mailer, Links links, Clock clock, AuthConfig config,
            AuthEvents events) {
        this.users = users;
        this.tokens = tokens;
        this.oneTimeLinks = oneTimeLinks;
        this.policy = policy;
        this.hasher = hasher;
        this.mailer = mailer;
        this.links = links;
        this.clock = clock;
        this.config = config.reset();
        this.events = events;
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
        String sentTo = MinimumDuration.atLeast(config.minResponseTime(), () -> users.findUserByEmail(email)
                .filter(user -> oneTimeLinks.issue(user, TokenPurpose.PASSWORD_RESET, config.tokenTtl(), u -> true,
                        token -> mailer.sendResetLink(user.email(), links.resetLink(token), config.tokenTtl())))
                .map(UserRecord::userId)
                .orElse(null));
        events.resetRequested(sentTo, email);
    }

    /** Sets the new password and ends every session of the user, consuming the token. */
    public void confirmReset(String token, String rawNewPassword) {
        Holder holder = oneTimeLinks.find(TokenPurpose.PASSWORD_RESET, token)
                .orElseThrow(InvalidResetTokenException::new);
        UserRecord user = holder.user();

        String password = rawNewPassword == null ? null : PasswordPolicy.normalise(rawNewPassword);
        String problem = policy.problem(password, user.email());
        if (problem != null) {
            throw new InvalidInputException("newPassword", problem);
        }
        String newHash = hasher.hash(password);
        Instant now = clock.instant();
        // A login or sign-out racing the reset changes the user's session list: read it again and retry.
        for (int attempt = 1; !tokens.completeReset(user, holder.token(), newHash, now); attempt++) {
            if (attempt >= ATTEMPTS) {
                throw new IllegalStateException("a reset lost " + ATTEMPTS + " races in a row with session changes");
            }
            user = oneTimeLinks.holderOf(holder.token()).orElseThrow(InvalidResetTokenException::new);
        }
        events.resetCompleted(user.userId(), user.sessionIds().size());
        try {
            mailer.sendPasswordChanged(user.email());
        } catch (SdkException e) {
            LOG.errorf("Password-changed notice for user %s could not be sent (%s)", user.userId(),
                    e.getClass().getSimpleName());
        }
    }
}
