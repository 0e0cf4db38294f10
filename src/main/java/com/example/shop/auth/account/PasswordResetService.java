package com.example.shop.auth.account;

import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.mail.Links;
import com.example.shop.auth.mail.Mailer;
import com.example.shop.auth.store.OneTimeTokenStore;
import com.example.shop.auth.store.TokenPurpose;
import com.example.shop.auth.store.OneTimeTokenStore.TokenHolder;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.user.User;
import com.example.shop.auth.store.UserStore;

import software.amazon.awssdk.core.exception.SdkException;

@ApplicationScoped
public class PasswordResetService {

    private static final Logger LOG = Logger.getLogger(PasswordResetService.class);

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
    private final MailBudget mailBudget;
    private final SourceIpBudgets ipBudgets;

    public PasswordResetService(UserStore users, OneTimeTokenStore tokens, OneTimeLinks oneTimeLinks,
            PasswordPolicy policy, PasswordHasher hasher, Mailer mailer, Links links, Clock clock, AuthConfig config,
            AuthEvents events, MailBudget mailBudget, SourceIpBudgets ipBudgets) {
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
        this.mailBudget = mailBudget;
        this.ipBudgets = ipBudgets;
    }

    /**
     * Emails a reset link when the account exists and the address's reset budget allows; says nothing either way.
     * Every request takes at least {@code auth.reset.min-response-time}, so the extra writes and the email for a real
     * account cannot be told from the single read for an unknown email by timing. Refused (429) when the source IP
     * spent its budget of such requests, before the email is looked up.
     */
    public void requestReset(String rawEmail, Optional<String> sourceIp) {
        String email = InputRules.normaliseEmail(rawEmail);
        if (email == null) {
            throw new InvalidInputException("email", InputRules.emailProblem(rawEmail));
        }
        ipBudgets.chargeMailRequest(sourceIp);
        String sentTo = MinimumDuration.atLeast(config.minResponseTime(), () -> users.findByEmail(email)
                .filter(user -> !user.user().disabled() && mailBudget.allow(MailKind.RESET, email))
                .filter(this::sendLink)
                .map(StoredUser::userId)
                .orElse(null));
        events.resetRequested(sentTo, email);
    }

    /**
     * Emails the user a reset link (the older one stops working); false when none was sent: the account is disabled,
     * gone, or the email could not be sent.
     */
    public boolean sendLink(StoredUser user) {
        return oneTimeLinks.issue(user, TokenPurpose.PASSWORD_RESET, config.tokenTtl(), u -> !u.disabled(),
                token -> mailer.sendResetLink(user.user().email(), links.resetLink(token), config.tokenTtl()));
    }

    /** Sets the new password and ends every session of the user, consuming the token. */
    public void confirmReset(String token, String rawNewPassword) {
        TokenHolder holder = oneTimeLinks.find(TokenPurpose.PASSWORD_RESET, token)
                .orElseThrow(InvalidResetTokenException::new);
        User user = holder.user().user();
        if (user.disabled()) {
            throw new InvalidResetTokenException(); // a link sent before an operator disabled the account
        }

        String password = rawNewPassword == null ? null : PasswordPolicy.normalise(rawNewPassword);
        String problem = policy.problem(password, user.email());
        if (problem != null) {
            throw new InvalidInputException("newPassword", problem);
        }
        int sessionsEnded = tokens.completeReset(holder, hasher.hash(password), clock.instant())
                .orElseThrow(InvalidResetTokenException::new);
        events.resetCompleted(user.userId(), sessionsEnded);
        try {
            mailer.sendPasswordChanged(user.email());
        } catch (SdkException e) {
            LOG.errorf("Password-changed notice for user %s could not be sent (%s)", user.userId(),
                    e.getClass().getSimpleName());
        }
    }
}
