package com.example.shop.auth.account;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.mfa.RecoveryCodes;
import com.example.shop.auth.mfa.Totp;
import com.example.shop.auth.mfa.TotpSecrets;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.TotpStore;

/**
 * Checks a user's second factor: a TOTP code of the current step or one either side, accepted once per step (a
 * conditional write, so two requests with one code cannot both pass), or one unused recovery code, used up.
 */
@ApplicationScoped
public class SecondFactorCheck {

    /** What a second factor was, when one was accepted. */
    public enum Method {
        TOTP("totp"), RECOVERY_CODE("recovery_code");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final TotpStore store;
    private final TotpSecrets secrets;
    private final Clock clock;
    private final AuthEvents events;

    public SecondFactorCheck(TotpStore store, TotpSecrets secrets, Clock clock, AuthEvents events) {
        this.store = store;
        this.secrets = secrets;
        this.clock = clock;
        this.events = events;
    }

    /** The TOTP code, if given, else the recovery code; empty when neither was accepted. */
    public Optional<Method> accept(StoredUser user, String code, String recoveryCode) {
        if (code != null) {
            return acceptCode(user, code) ? Optional.of(Method.TOTP) : Optional.empty();
        }
        if (!RecoveryCodes.looksLikeCode(recoveryCode)) {
            return Optional.empty();
        }
        String hash = RecoveryCodes.hash(recoveryCode);
        if (user.hasRecoveryCode(hash) && store.useRecoveryCode(user.userId(), hash)) {
            events.recoveryCodeUsed(user.userId());
            return Optional.of(Method.RECOVERY_CODE);
        }
        return Optional.empty();
    }

    /** A code of the user's confirmed secret, for a step later than any used before. */
    public boolean acceptCode(StoredUser user, String code) {
        if (!Totp.looksLikeCode(code) || user.totpSecretCiphertext().isEmpty()) {
            return false;
        }
        byte[] secret = secrets.decrypt(user.userId(), user.totpSecretCiphertext().get());
        OptionalLong step = Totp.matchingStep(secret, code, clock.instant());
        return step.isPresent() && step.getAsLong() > user.totpLastStep() && store.useStep(user, step.getAsLong());
    }
}
