package com.example.shop.auth.account;

import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.mfa.RecoveryCodes;
import com.example.shop.auth.mfa.Totp;
import com.example.shop.auth.mfa.TotpSecrets;
import com.example.shop.auth.session.NotSignedInException;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.TotpStore;
import com.example.shop.auth.store.UserStore;

/**
 * A signed-in user's TOTP second factor: enrolment (a secret shown once, pending until a code confirms it), recovery
 * codes, and turning it off. Changes that need the password count a wrong one toward the lockout, and a wrong code
 * where the password was right counts as a failed login too, so neither can be guessed at leisure.
 */
@ApplicationScoped
public class TotpService {

    private final UserStore users;
    private final TotpStore store;
    private final TotpSecrets secrets;
    private final RecoveryCodes recoveryCodes;
    private final PasswordCheck passwordCheck;
    private final SecondFactorCheck secondFactor;
    private final Clock clock;
    private final String issuer;
    private final AuthEvents events;

    public TotpService(UserStore users, TotpStore store, TotpSecrets secrets, RecoveryCodes recoveryCodes,
            PasswordCheck passwordCheck, SecondFactorCheck secondFactor, Clock clock, AuthConfig config,
            AuthEvents events) {
        this.users = users;
        this.store = store;
        this.secrets = secrets;
        this.recoveryCodes = recoveryCodes;
        this.passwordCheck = passwordCheck;
        this.secondFactor = secondFactor;
        this.clock = clock;
        this.issuer = config.mfa().issuer();
        this.events = events;
    }

    /** A new secret, shown this once: base32 for typing, and the otpauth URI for a QR code. */
    public record Enrolment(String secret, String otpauthUri) {
        @Override
        public String toString() {
            return "Enrolment[…]"; // never the secret, should one reach a log
        }
    }

    /** Makes a new pending secret (replacing an unconfirmed one); TOTP is not required until it is confirmed. */
    public Enrolment enrol(String userId, String rawPassword) {
        StoredUser user = withPassword(userId, rawPassword);
        if (user.user().totpEnabled()) {
            throw new TotpStateException("TOTP is on already. Turn it off first to enrol another authenticator.");
        }
        byte[] secret = secrets.newSecret();
        if (!store.setPendingSecret(userId, secrets.encrypt(userId, secret), clock.instant())) {
            throw new NotSignedInException();
        }
        events.totpEnrolmentStarted(userId);
        return new Enrolment(Totp.base32(secret), Totp.otpauthUri(issuer, user.user().email(), secret));
    }

    /**
     * Confirms the pending secret with a code from it: TOTP is required from now on, every other session of the user
     * ends, and the recovery codes are returned, this once.
     */
    public List<String> confirm(String userId, String sessionId, String code) {
        StoredUser user = stored(userId);
        if (user.pendingTotpSecretCiphertext().isEmpty()) {
            throw new TotpStateException("No TOTP enrolment is waiting for a code. Start one first.");
        }
        byte[] secret = secrets.decrypt(userId, user.pendingTotpSecretCiphertext().get());
        OptionalLong step = Totp.matchingStep(secret, code, clock.instant());
        if (step.isEmpty()) {
            throw new WrongCodeException();
        }
        List<String> codes = recoveryCodes.newCodes();
        int sessionsEnded = store.confirm(user, step.getAsLong(), RecoveryCodes.hashes(codes), sessionId,
                clock.instant()).orElseThrow(WrongCodeException::new); // another enrolment replaced the secret
        events.totpEnrolled(userId, sessionsEnded);
        return codes;
    }

    /** New recovery codes, returned this once; the old ones stop working. */
    public List<String> regenerateRecoveryCodes(String userId, String rawPassword, String code) {
        StoredUser user = withPasswordAndTotpOn(userId, rawPassword);
        if (!secondFactor.acceptCode(user, code)) {
            passwordCheck.countFailure(user);
            throw new WrongCodeException();
        }
        List<String> codes = recoveryCodes.newCodes();
        if (!store.replaceRecoveryCodes(user, RecoveryCodes.hashes(codes), clock.instant())) {
            throw new TotpStateException("TOTP was turned off meanwhile.");
        }
        events.recoveryCodesRegenerated(userId);
        return codes;
    }

    /** Turns TOTP off (with a code or a recovery code); every other session of the user ends. */
    public void remove(String userId, String sessionId, String rawPassword, String code, String recoveryCode) {
        StoredUser user = withPasswordAndTotpOn(userId, rawPassword);
        if (secondFactor.accept(user, code, recoveryCode).isEmpty()) {
            passwordCheck.countFailure(user);
            throw new WrongCodeException();
        }
        int sessionsEnded = store.remove(user, sessionId, clock.instant())
                .orElseThrow(() -> new TotpStateException("TOTP was turned off meanwhile."));
        events.totpRemoved(userId, sessionsEnded);
    }

    private StoredUser withPasswordAndTotpOn(String userId, String rawPassword) {
        StoredUser user = withPassword(userId, rawPassword);
        if (!user.user().totpEnabled()) {
            throw new TotpStateException("TOTP is not on for this account.");
        }
        return user;
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
}
