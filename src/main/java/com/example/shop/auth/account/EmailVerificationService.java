package com.example.shop.auth.account;

import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.mail.Links;
import com.example.shop.auth.mail.Mailer;
import com.example.shop.auth.store.OneTimeTokenStore;
import com.example.shop.auth.store.TokenPurpose;
import com.example.shop.auth.store.OneTimeTokenStore.TokenHolder;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.UserStore;

/** Proves that the address of an account is its owner's: a single-use link, valid a day, sent at signup. */
@ApplicationScoped
public class EmailVerificationService {

    private final UserStore users;
    private final OneTimeTokenStore tokens;
    private final OneTimeLinks oneTimeLinks;
    private final Mailer mailer;
    private final Links links;
    private final Clock clock;
    private final AuthConfig config;
    private final AuthEvents events;
    private final MailBudget mailBudget;
    private final SourceIpBudgets ipBudgets;

    public EmailVerificationService(UserStore users, OneTimeTokenStore tokens, OneTimeLinks oneTimeLinks, Mailer mailer,
            Links links, Clock clock, AuthConfig config, AuthEvents events, MailBudget mailBudget,
            SourceIpBudgets ipBudgets) {
        this.users = users;
        this.tokens = tokens;
        this.oneTimeLinks = oneTimeLinks;
        this.mailer = mailer;
        this.links = links;
        this.clock = clock;
        this.config = config;
        this.events = events;
        this.mailBudget = mailBudget;
        this.ipBudgets = ipBudgets;
    }

    /** Emails a fresh link (the older one stops working); false when none could be sent. */
    public boolean sendLink(StoredUser user) {
        var ttl = config.verification().tokenTtl();
        boolean sent = oneTimeLinks.issue(user, TokenPurpose.EMAIL_VERIFICATION, ttl, u -> !u.emailVerified() && !u.disabled(),
                token -> mailer.sendVerificationLink(user.user().email(), links.verificationLink(token), ttl));
        if (sent) {
            events.verificationSent(user.userId());
        }
        return sent;
    }

    /**
     * Sends a new link to an existing, unverified account, within the address's budget of verification emails; the
     * same answer, in at least the same time as a reset request, whether or not there is one. Refused (429) when the
     * source IP spent its budget of such requests, before the email is looked up.
     */
    public void resend(String rawEmail, Optional<String> sourceIp) {
        String email = InputRules.normaliseEmail(rawEmail);
        if (email == null) {
            throw new InvalidInputException("email", InputRules.emailProblem(rawEmail));
        }
        ipBudgets.chargeMailRequest(sourceIp);
        MinimumDuration.atLeast(config.reset().minResponseTime(), () -> users.findByEmail(email)
                .filter(user -> !user.user().emailVerified() && !user.user().disabled())
                .filter(user -> mailBudget.allow(MailKind.VERIFICATION, email))
                .map(this::sendLink));
    }

    public void confirm(String token) {
        TokenHolder holder = oneTimeLinks.find(TokenPurpose.EMAIL_VERIFICATION, token)
                .orElseThrow(InvalidVerificationTokenException::new);
        if (!tokens.completeVerification(holder.token(), clock.instant())) {
            throw new InvalidVerificationTokenException();
        }
        events.emailVerified(holder.token().ownerId());
    }
}
