package com.example.shop.auth.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.session.SessionService;
import com.example.shop.auth.session.SessionService.SignedIn;
import com.example.shop.auth.store.DeviceRecord;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.TotpStore;
import com.example.shop.auth.store.TotpStore.PendingMfa;
import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.token.RandomTokens;

/**
 * Checks email and password (with the lockout of {@link PasswordCheck}) and starts a session. A source IP that spent
 * its budget of failed logins is refused first ({@link SourceIpBudgets}), unless the login presents a device token of
 * the account ({@link DeviceTokens}): the owner's devices keep working from an address an attacker shares.
 */
@ApplicationScoped
public class LoginService {

    /** How long a sign-in waits for its second factor, and how many wrong codes it takes. */
    static final Duration MFA_LIFETIME = Duration.ofMinutes(5);
    static final int MFA_ATTEMPTS = 5;
    /** The sign-in methods (RFC 8176) of a password and a one-time code. */
    static final List<String> PASSWORD_AND_OTP = List.of("pwd", "otp", "mfa");

    private final UserStore users;
    private final PasswordHasher hasher;
    private final PasswordCheck passwordCheck;
    private final SessionService sessions;
    private final EmailVerificationService verification;
    private final DeviceTokens devices;
    private final SourceIpBudgets ipBudgets;
    private final boolean requireVerifiedEmail;
    private final AuthEvents events;
    private final TotpStore totp;
    private final SecondFactorCheck secondFactor;
    private final RandomTokens randomTokens;
    private final Clock clock;

    public LoginService(UserStore users, PasswordHasher hasher, PasswordCheck passwordCheck, SessionService sessions,
            EmailVerificationService verification, DeviceTokens devices, SourceIpBudgets ipBudgets, AuthConfig config,
            AuthEvents events, TotpStore totp, SecondFactorCheck secondFactor, RandomTokens randomTokens, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.passwordCheck = passwordCheck;
        this.sessions = sessions;
        this.verification = verification;
        this.devices = devices;
        this.ipBudgets = ipBudgets;
        this.requireVerifiedEmail = config.login().requireVerifiedEmail();
        this.events = events;
        this.totp = totp;
        this.secondFactor = secondFactor;
        this.randomTokens = randomTokens;
        this.clock = clock;
    }

    /** What a right password gets: a session, or (with TOTP on) a sign-in waiting for its second factor. */
    public sealed interface Outcome permits LoggedIn, SecondFactorNeeded {
    }

    /** A session, and the device token the client keeps for its next login (it replaces the one presented). */
    public record LoggedIn(SignedIn signedIn, String deviceToken) implements Outcome {
    }

    /** The password was right; {@code mfaToken} and a code complete the sign-in within {@code expiresInSeconds}. */
    public record SecondFactorNeeded(String mfaToken, long expiresInSeconds) implements Outcome {
        @Override
        public String toString() {
            return "SecondFactorNeeded[…]"; // never the token, should one reach a log
        }
    }

    /**
     * @param presentedDeviceToken the device token the client kept from an earlier login, or null; one that is not
     *        a live token of this account (forged, expired, another user's) counts as none
     * @param sourceIp the caller's IP as API Gateway saw it, if known
     */
    public Outcome logIn(String rawEmail, String rawPassword, String presentedDeviceToken, String userAgent,
            Optional<String> sourceIp) {
        String email = InputRules.normaliseEmail(rawEmail);
        String password = PasswordPolicy.normalise(rawPassword);
        Optional<StoredUser> found = email == null ? Optional.empty() : users.findByEmail(email);
        // among this user's own devices, in the item just read: no extra read, known email or not
        Optional<DeviceRecord> trusted = found.flatMap(user -> devices.find(user, presentedDeviceToken));
        if (trusted.isEmpty()) {
            ipBudgets.checkLoginFailures(sourceIp);
        }
        if (found.isEmpty()) {
            hasher.matchesNothing(password);
            users.spendAFailedLoginsWork(); // what a wrong password costs a real account: nothing tells them apart
            events.loginFailed(null, email == null ? "" : email);
            ipBudgets.countLoginFailure(sourceIp);
            throw new InvalidCredentialsException();
        }
        StoredUser user = found.get();
        boolean verified = trusted.isPresent() ? passwordCheck.verify(user, password, trusted.get())
                : passwordCheck.verify(user, password);
        if (!verified) {
            ipBudgets.countLoginFailure(sourceIp);
            throw new InvalidCredentialsException();
        }
        if (user.user().disabled()) {
            events.loginRefusedDisabled(user.userId());
            throw new AccountDisabledException();
        }
        if (requireVerifiedEmail && !user.user().emailVerified()) {
            verification.sendLink(user);
            events.loginRefusedUnverified(user.userId());
            throw new EmailNotVerifiedException();
        }
        if (user.user().totpEnabled()) {
            rehashIfDue(user, password);
            return pendingSecondFactor(user);
        }
        // empty when a password reset or the account's deletion completed between the check and the session's start
        SignedIn signedIn = sessions.start(user, userAgent).orElseThrow(InvalidCredentialsException::new);
        rehashIfDue(user, password);
        String deviceToken = devices.issue(user, trusted).orElseThrow(InvalidCredentialsException::new);
        if (trusted.isPresent()) {
            events.loggedInFromTrustedDevice(user.userId());
        } else {
            events.loggedIn(user.userId());
        }
        return new LoggedIn(signedIn, deviceToken);
    }

    /**
     * Completes a sign-in that waits for its second factor: a TOTP code or a recovery code of the account. A wrong
     * one spends one of the pending sign-in's attempts; the last one ends it and counts as one failed login of the
     * account. Unknown, used or expired mfa tokens, and accounts locked or disabled meanwhile, get the same 401.
     */
    public LoggedIn completeSecondFactor(String mfaToken, String code, String recoveryCode, String userAgent,
            Optional<String> sourceIp) {
        if (!RandomTokens.looksLikeToken(mfaToken)) {
            throw new InvalidSecondFactorException();
        }
        String tokenHash = RandomTokens.hash(mfaToken);
        Instant now = clock.instant();
        PendingMfa pending = totp.findPendingMfa(tokenHash, now).orElseThrow(InvalidSecondFactorException::new);
        Optional<StoredUser> found = users.find(pending.ownerId());
        // gone, disabled, locked, or its password reset or changed since the password step: the sign-in ends
        if (found.isEmpty() || !pending.passwordStillCurrent(found.get()) || found.get().user().disabled()
                || found.get().user().lockedUntil().filter(now::isBefore).isPresent()) {
            totp.consumePendingMfa(tokenHash);
            events.mfaFailed(pending.ownerId(), 0);
            throw new InvalidSecondFactorException();
        }
        StoredUser user = found.get();
        Optional<SecondFactorCheck.Method> method = secondFactor.accept(user, code, recoveryCode);
        if (method.isEmpty()) {
            int attemptsLeft = totp.spendAttempt(tokenHash).orElse(-1);
            if (attemptsLeft == 0) { // this failure ended the pending sign-in
                passwordCheck.countFailure(user);
            }
            events.mfaFailed(user.userId(), Math.max(attemptsLeft, 0));
            ipBudgets.countLoginFailure(sourceIp);
            throw new InvalidSecondFactorException();
        }
        if (!totp.consumePendingMfa(tokenHash)) { // another request completed or ended it meanwhile
            throw new InvalidSecondFactorException();
        }
        SignedIn signedIn = sessions.start(user, userAgent, PASSWORD_AND_OTP)
                .orElseThrow(InvalidSecondFactorException::new);
        String deviceToken = devices.issue(user, Optional.empty()).orElseThrow(InvalidSecondFactorException::new);
        events.mfaSucceeded(user.userId(), method.get().label());
        events.loggedIn(user.userId());
        return new LoggedIn(signedIn, deviceToken);
    }

    private SecondFactorNeeded pendingSecondFactor(StoredUser user) {
        String mfaToken = randomTokens.newToken();
        Instant now = clock.instant();
        totp.startPendingMfa(RandomTokens.hash(mfaToken), user, MFA_ATTEMPTS, now, now.plus(MFA_LIFETIME));
        events.mfaRequired(user.userId());
        return new SecondFactorNeeded(mfaToken, MFA_LIFETIME.toSeconds());
    }

    /** An imported hash or a cost raised since: store the password at today's cost, unless it changed meanwhile. */
    private void rehashIfDue(StoredUser user, String password) {
        if (hasher.needsRehash(user.passwordHash())) {
            users.rehash(user, hasher.hash(password));
        }
    }
}
