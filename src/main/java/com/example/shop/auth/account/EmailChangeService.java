package com.example.shop.auth.account;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.mail.Links;
import com.example.shop.auth.mail.Mailer;
import com.example.shop.auth.session.NotSignedInException;
import com.example.shop.auth.store.EmailAlreadyClaimedException;
import com.example.shop.auth.store.OneTimeTokenStore;
import com.example.shop.auth.store.OneTimeTokenStore.EmailChange;
import com.example.shop.auth.store.OneTimeTokenStore.TokenHolder;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.TokenPurpose;
import com.example.shop.auth.store.UserStore;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * Changing the email of an account. The signed-in user asks with its password; a single-use link to the new address
 * proves that address, and following it moves the account there in one transaction. The answer to the request never
 * tells whether the new address belongs to an account: when it does, its owner gets a notice instead of a link.
 */
@ApplicationScoped
public class EmailChangeService {

    private static final Logger LOG = Logger.getLogger(EmailChangeService.class);

    private final UserStore users;
    private final MailBudget mailBudget;
    private final SourceIpBudgets ipBudgets;
    private final OneTimeTokenStore tokens;
    private final OneTimeLinks oneTimeLinks;
    private final PasswordCheck passwordCheck;
    private final Mailer mailer;
    private final Links links;
    private final Clock clock;
    private final AuthConfig config;
    private final AuthEvents events;

    public EmailChangeService(UserStore users, OneTimeTokenStore tokens, OneTimeLinks oneTimeLinks,
            PasswordCheck passwordCheck, Mailer mailer, Links links, Clock clock, AuthConfig config,
            AuthEvents events, MailBudget mailBudget, SourceIpBudgets ipBudgets) {
        this.users = users;
        this.mailBudget = mailBudget;
        this.ipBudgets = ipBudgets;
        this.tokens = tokens;
        this.oneTimeLinks = oneTimeLinks;
        this.passwordCheck = passwordCheck;
        this.mailer = mailer;
        this.links = links;
        this.clock = clock;
        this.config = config;
        this.events = events;
    }

    /**
     * Checks the password (a wrong one counts toward the lockout like a failed login), then mails a link to the new
     * address, or a notice to its owner when it belongs to an account. Either way the caller learns nothing, and the
     * work after the password check takes at least {@code auth.reset.min-response-time}, as reset requests do.
     */
    public void request(String userId, String rawNewEmail, String rawPassword, Optional<String> sourceIp) {
        ipBudgets.chargeMailRequest(sourceIp); // it mails an address the caller types, like a reset request
        String newEmail = InputRules.normaliseEmail(rawNewEmail);
        if (newEmail == null) {
            throw new InvalidInputException("newEmail", InputRules.emailProblem(rawNewEmail));
        }
        StoredUser user = users.find(userId).orElseThrow(NotSignedInException::new);
        if (newEmail.equals(user.user().email())) {
            throw new InvalidInputException("newEmail", "This is already the email address of your account.");
        }
        passwordCheck.requireCurrentPassword(user, rawPassword);
        boolean addressInUse = MinimumDuration.atLeast(config.reset().minResponseTime(), () -> {
            Optional<StoredUser> owner = users.findByEmail(newEmail);
            // the link and the notice both land in newEmail's mailbox: one budget for both; past it, nothing is
            // sent and the answer is the same
            if (!mailBudget.allow(MailKind.EMAIL_CHANGE, newEmail)) {
                return owner.isPresent();
            }
            if (owner.isPresent()) {
                notify(userId, () -> mailer.sendEmailChangeRefused(newEmail));
            } else {
                sendLink(user, newEmail);
            }
            return owner.isPresent();
        });
        events.emailChangeRequested(userId, newEmail, addressInUse);
    }

    /**
     * Moves the token's user to the address the token proves, marks it verified, and tells the old address. The
     * token is the only proof needed (the link may open on another device): it was issued to a signed-in user who
     * gave the password, and mailed to the new address.
     */
    public void confirm(String token) {
        TokenHolder holder = oneTimeLinks.find(TokenPurpose.EMAIL_CHANGE, token)
                .orElseThrow(InvalidEmailChangeTokenException::new);
        if (holder.user().user().disabled()) {
            throw new InvalidEmailChangeTokenException(); // a link sent before an operator disabled the account
        }
        EmailChange change;
        try {
            change = tokens.completeEmailChange(holder, clock.instant())
                    .orElseThrow(InvalidEmailChangeTokenException::new);
        } catch (EmailAlreadyClaimedException e) {
            throw new NewEmailTakenException();
        }
        String userId = change.before().userId();
        events.emailChanged(userId, change.newEmail());
        notify(userId, () -> mailer.sendEmailChanged(change.before().email(), AuthEvents.mask(change.newEmail())));
    }

    /** Mails the link (the user's older one stops working); a link that could not be sent is withdrawn at once. */
    private void sendLink(StoredUser user, String newEmail) {
        Duration ttl = config.emailChange().tokenTtl();
        oneTimeLinks.issue(user, TokenPurpose.EMAIL_CHANGE, Optional.of(newEmail), ttl, u -> !u.disabled(),
                token -> mailer.sendEmailChangeLink(newEmail, links.emailChangeLink(token), ttl));
    }

    private static void notify(String userId, Runnable send) {
        try {
            send.run();
        } catch (SdkException e) {
            LOG.errorf("Email-change notice for user %s could not be sent (%s)", userId, e.getClass().getSimpleName());
        }
    }
}
