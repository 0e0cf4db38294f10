package com.example.shop.auth.account;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.mail.Mailer;
import com.example.shop.auth.session.NotSignedInException;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.user.User;

import software.amazon.awssdk.core.exception.SdkException;

/** What signed-in users do with their own account: read and rename it, change its password, delete it. */
@ApplicationScoped
public class AccountService {

    private static final Logger LOG = Logger.getLogger(AccountService.class);

    private final UserStore users;
    private final PasswordCheck passwordCheck;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final Mailer mailer;
    private final Clock clock;
    private final AuthEvents events;

    public AccountService(UserStore users, PasswordCheck passwordCheck, PasswordPolicy policy, PasswordHasher hasher,
            Mailer mailer, Clock clock, AuthEvents events) {
        this.users = users;
        this.passwordCheck = passwordCheck;
        this.policy = policy;
        this.hasher = hasher;
        this.mailer = mailer;
        this.clock = clock;
        this.events = events;
    }

    public User profile(String userId) {
        return stored(userId).user();
    }

    public User rename(String userId, String rawName) {
        String name = InputRules.normaliseName(rawName);
        if (name == null) {
            throw new InvalidInputException("name", InputRules.nameProblem(rawName));
        }
        User renamed = users.rename(userId, name, clock.instant()).orElseThrow(NotSignedInException::new);
        events.profileUpdated(userId);
        return renamed;
    }

    /** Checks the current password, sets the new one and ends every other session of the user. */
    public void changePassword(String userId, String sessionId, String rawCurrent, String rawNew) {
        StoredUser user = withPassword(userId, rawCurrent);
        String password = rawNew == null ? null : PasswordPolicy.normalise(rawNew);
        String problem = policy.problem(password, user.user().email());
        if (problem != null) {
            throw new InvalidInputException("newPassword", problem);
        }
        // empty when the password changed under us (a reset, another tab): this request's check no longer holds
        int sessionsEnded = users.changePassword(user, sessionId, hasher.hash(password), clock.instant())
                .orElseThrow(WrongPasswordException::new);
        events.passwordChanged(userId, sessionsEnded);
        String email = user.user().email();
        notify(userId, () -> mailer.sendPasswordChanged(email));
    }

    /** Checks the password, then removes the account and everything stored with it. */
    public void delete(String userId, String rawPassword) {
        StoredUser user = withPassword(userId, rawPassword);
        users.deleteAccount(user).ifPresent(deleted -> { // empty: deleted by a request racing this one
            events.accountDeleted(userId);
            notify(userId, () -> mailer.sendAccountDeleted(deleted.email()));
        });
    }

    /** The user, if the password is right; a wrong one counts toward the lockout like a failed login. */
    private StoredUser withPassword(String userId, String rawPassword) {
        StoredUser user = stored(userId);
        passwordCheck.requireCurrentPassword(user, rawPassword);
        return user;
    }

    private StoredUser stored(String userId) {
        return users.find(userId).orElseThrow(NotSignedInException::new);
    }

    private static void notify(String userId, Runnable send) {
        try {
            send.run();
        } catch (SdkException e) {
            LOG.errorf("Notice email for user %s could not be sent (%s)", userId, e.getClass().getSimpleName());
        }
    }
}
