package com.example.shop.auth.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.store.DeviceRecord;
import com.example.shop.auth.store.DeviceStore;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.store.UserStore.FailedLogin;
import com.example.shop.auth.user.User;

/**
 * Checks a user's password wherever it is asked for (login, password change, account deletion), with one lockout:
 * from the {@code threshold}-th consecutive failure the account is locked for 2^(n - threshold) seconds, capped;
 * attempts while locked neither count nor extend the lock; the right password clears the count. A login from a
 * trusted device (one presenting a device token of the account, see {@link DeviceTokens}) is not subject to that
 * lock: the device has its own count and lock, by the same curve, and neither touches the other.
 */
@ApplicationScoped
public class PasswordCheck {

    private final UserStore users;
    private final DeviceStore devices;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final AuthConfig.Lockout lockout;
    private final AuthEvents events;

    public PasswordCheck(UserStore users, DeviceStore devices, PasswordHasher hasher, Clock clock, AuthConfig config,
            AuthEvents events) {
        this.users = users;
        this.devices = devices;
        this.hasher = hasher;
        this.clock = clock;
        this.lockout = config.lockout();
        this.events = events;
    }

    /**
     * A signed-in user confirming an action with their password: a wrong one counts like a failed login and is a
     * {@link WrongPasswordException}; a locked account an {@link AccountLockedException}.
     */
    public void requireCurrentPassword(StoredUser user, String rawPassword) {
        String password = rawPassword == null ? "" : PasswordPolicy.normalise(rawPassword);
        if (!verify(user, password)) {
            throw new WrongPasswordException();
        }
    }

    /**
     * True for the user's password; false for another (counted, and locking from the threshold). Throws
     * {@link AccountLockedException} while the account is locked, whatever the password.
     */
    public boolean verify(StoredUser stored, String normalisedPassword) {
        Instant now = clock.instant();
        User user = stored.user();
        Optional<Instant> lockedUntil = user.lockedUntil().filter(now::isBefore);
        if (lockedUntil.isPresent()) {
            events.loginRefusedWhileLocked(user.userId());
            throw new AccountLockedException(Duration.between(now, lockedUntil.get()));
        }
        if (!matches(normalisedPassword, stored.passwordHash())) {
            FailedLogin failed = users.recordFailedLogin(stored, this::lockAfter, now);
            events.loginFailed(user.userId(), user.email());
            failed.lockedUntil().ifPresent(until -> events.lockedOut(user.userId(),
                    Duration.between(now, until).toSeconds()));
            return false;
        }
        if (user.failedLogins() > 0 || user.lockedUntil().isPresent()) {
            users.clearFailedLogins(user.userId());
        }
        return true;
    }

    /**
     * Like {@link #verify(StoredUser, String)} for a login from a trusted device of the user: the device's own lock
     * and count apply instead of the account's, which this check neither reads nor changes. A success leaves the
     * account's count alone too, so the owner logging in does not give an attacker a fresh series of guesses.
     */
    public boolean verify(StoredUser stored, String normalisedPassword, DeviceRecord trustedDevice) {
        if (!trustedDevice.ownerId().equals(stored.userId())) {
            throw new IllegalArgumentException("a device of another user is no trusted device");
        }
        Instant now = clock.instant();
        User user = stored.user();
        Optional<Instant> lockedUntil = trustedDevice.lockedUntil().filter(now::isBefore);
        if (lockedUntil.isPresent()) {
            events.deviceLoginRefusedWhileLocked(user.userId());
            throw new AccountLockedException(Duration.between(now, lockedUntil.get()));
        }
        if (!matches(normalisedPassword, stored.passwordHash())) {
            FailedLogin failed = devices.recordFailedLogin(stored, trustedDevice, this::lockAfter, now);
            events.deviceLoginFailed(user.userId());
            failed.lockedUntil().ifPresent(until -> events.deviceLockedOut(user.userId(),
                    Duration.between(now, until).toSeconds()));
            return false;
        }
        return true;
    }

    /**
     * Counts a failure that is not a wrong password but weighs as much (a pending sign-in's second factor failed
     * too often, a wrong code where password and code are asked together): one more consecutive failed login,
     * locking from the threshold like a wrong password.
     */
    public void countFailure(StoredUser stored) {
        Instant now = clock.instant();
        FailedLogin failed = users.recordFailedLogin(stored, this::lockAfter, now);
        failed.lockedUntil().ifPresent(until -> events.lockedOut(stored.userId(),
                Duration.between(now, until).toSeconds()));
    }

    /** Input bcrypt would truncate can never be the password, but costs the same time to refuse. */
    private boolean matches(String normalisedPassword, String hash) {
        if (!PasswordPolicy.fitsBcrypt(normalisedPassword)) {
            hasher.matchesNothing(normalisedPassword);
            return false;
        }
        return hasher.matches(normalisedPassword, hash);
    }

    private Optional<Duration> lockAfter(int consecutiveFailures) {
        return consecutiveFailures >= lockout.threshold() ? Optional.of(lockDuration(consecutiveFailures))
                : Optional.empty();
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
