package com.example.shop.auth.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.store.UserRecord;
import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.session.SessionService;
import com.example.shop.auth.session.SessionService.SignedIn;

/**
 * Checks a password and starts a session. From the {@code threshold}-th consecutive failure the account is
 * locked for 2^(n - threshold) seconds, capped; attempts while locked neither count nor extend the lock.
 */
@ApplicationScoped
public class LoginService {

    private final UserStore store;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final Clock clock;
    private final AuthConfig.Lockout lockout;
    private final AuthEvents events;

    public LoginService(UserStore store, PasswordHasher hasher, SessionService sessions, Clock clock,
            AuthConfig config, AuthEvents events) {
        this.events = events;
        this.store = store;
        this.hasher = hasher;
        this.sessions = sessions;
        this.clock = clock;
        this.lockout = config.lockout();
    }

    public SignedIn logIn(String rawEmail, String rawPassword, String userAgent) {
        String email = InputRules.normaliseEmail(rawEmail);
        String password = PasswordPolicy.normalise(rawPassword);
        Optional<UserRecord> found = email == null ? Optional.empty() : store.findUserByEmail(email);
        if (found.isEmpty() || !PasswordPolicy.fitsBcrypt(password)) {
            hasher.matchesNothing(password);
            events.loginFailed(found.map(UserRecord::userId).orElse(null), email == null ? "" : email);
            throw new InvalidCredentialsException();
        }
        UserRecord user = found.get();

        Instant now = clock.instant();
        Optional<Instant> lockedUntil = user.lockedUntil().filter(now::isBefore);
        if (lockedUntil.isPresent()) {
            events.loginRefusedWhileLocked(user.userId());
            throw new AccountLockedException(Duration.between(now, lockedUntil.get()));
        }

        if (!hasher.matches(password, user.passwordHash())) {
            int failures = store.recordFailedLogin(user.userId());
            events.loginFailed(user.userId(), user.email());
            if (failures >= lockout.threshold()) {
                Duration lock = lockDuration(failures);
                store.lockUntil(user.userId(), now.plus(lock));
                events.lockedOut(user.userId(), lock.toSeconds());
            }
            throw new InvalidCredentialsException();
        }

        if (user.failedLogins() > 0 || user.lockedUntil().isPresent()) {
            store.clearFailedLogins(user.userId());
        }
        // empty when a password reset completed between the check above and the session's start
        SignedIn signedIn = sessions.start(user, userAgent).orElseThrow(InvalidCredentialsException::new);
        events.loggedIn(user.userId());
        return signedIn;
    }

    Duration lockDuration(int consecutiveFailures) {
        int exponent = consecutiveFailures - lockout.threshold();
        if (exponent >= 30) {
            return lockout.maxLock();
        }
        Duration lock = Duration.ofSeconds(1L << exponent);
        return lock.compareTo(lockout.maxLock()) > 0 ? lockout.maxLock() : lock;
    }
}
