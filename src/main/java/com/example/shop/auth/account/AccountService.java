package com.example.shop.auth.account;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.example.shop.auth.mail.Mailer;
import com.example.shop.auth.session.NotSignedInException;
import com.example.shop.auth.store.UserRecord;
import com.example.shop.auth.store.UserStore;

import software.amazon.awssdk.core.exception.SdkException;

/** What signed-in users do with their own account: read and rename it, change its password, delete it. */
@ApplicationScoped
public class AccountService {

    private static final Logger LOG = Logger.getLogger(AccountService.class);
    /** A change that loses a race with a login, sign-out or new link of the same user re-reads it this often. */
    private static final int ATTEMPTS = 3;

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

    public UserRecord profile(String userId) {
        return users.findUser(userId).orElseThrow(NotSignedInException::new);
    }

    public UserRecord rename(String userId, String rawName) {
        String name = InputRules.normaliseName(rawName);
        if (name == null) {
            throw new InvalidInputException("name", InputRules.nameProblem(rawName));
        }
        UserRecord renamed = users.rename(userId, name, clock.instant()).orElseThrow(NotSignedInException::new);
        events.profileUpdated(userId);
        return renamed;
    }

    /** Checks the current password, sets the new one and ends every other session of the user. */
    public void changePassword(String userId, String sessionId, String rawCurrent, String rawNew) {
        UserRecord user = withPassword(userId, rawCurrent);
        String password = rawNew == null ? null : PasswordPolicy.normalise(rawNew);
        String problem = policy.problem(password, user.email());
        if (problem != null) {
            throw new InvalidInputException("newPassword", problem);
        }
        String newHash = hasher.hash(password);
        for (int attempt = 1; !users.changePassword(user, sessionId, newHash, clock.instant()); attempt++) {
            UserRecord reread = users.findUser(userId).orElseThrow(NotSignedInException::new);
            if (attempt >= ATTEMPTS || !reread.passwordHash().equals(user.passwordHash())) {
                // the password changed under us (a reset, another tab): this request's check no longer holds
                throw new WrongPasswordException();
            }
            user = reread;
        }
        events.passwordChanged(userId, Math.max(0, user.sessionIds().size() - 1));
        String email = user.email();
        notify(user, () -> mailer.sendPasswordChanged(email));
    }

    /** Checks the password, then removes the account and everything stored with it. */
    public void delete(String userId, String rawPassword) {
        UserRecord user = withPassword(userId, rawPassword);
        for (int attempt = 1; !users.deleteAccount(user); attempt++) {
            var reread = users.findUser(userId);
            if (reread.isEmpty()) {
                return; // deleted by a request racing this one
            }
            if (attempt >= ATTEMPTS) {
                throw new IllegalStateException("a deletion lost " + ATTEMPTS + " races in a row");
            }
            user = reread.get();
        }
        events.accountDeleted(userId);
        String email = user.email();
        notify(user, () -> mailer.sendAccountDeleted(email));
    }

    /** The user, if the password is right; a wrong one counts toward the lockout like a failed login. */
    private UserRecord withPassword(String userId, String rawPassword) {
        UserRecord user = profile(userId);
        String password = rawPassword == null ? "" : PasswordPolicy.normalise(rawPassword);
        if (!passwordCheck.verify(user, password)) {
            throw new WrongPasswordException();
        }
        return user;
    }

    private static void notify(UserRecord user, Runnable send) {
        try {
            send.run();
        } catch (SdkException e) {
            LOG.errorf("Notice email for user %s could not be sent (%s)", user.userId(), e.getClass().getSimpleName());
        }
    }
}
