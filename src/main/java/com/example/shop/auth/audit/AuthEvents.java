package com.example.shop.auth.audit;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The audit trail: one structured line per authentication event, with the user id where known. The request id
 * and source IP come from the request's log context. Emails are masked; nothing secret is ever passed here.
 */
@Singleton
public class AuthEvents {

    static final String CATEGORY = "com.example.shop.auth.audit";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    public void signedUp(String userId) {
        log("signup", userId, null);
    }

    public void loggedIn(String userId) {
        log("login_success", userId, null);
    }

    /** userId is null when no account has this email. */
    public void loginFailed(String userId, String normalisedEmail) {
        log("login_failure", userId, normalisedEmail);
    }

    public void lockedOut(String userId, long seconds) {
        log("lockout", userId, null, "lockSeconds", Long.toString(seconds));
    }

    public void loginRefusedUnverified(String userId) {
        log("login_unverified", userId, null);
    }

    public void verificationSent(String userId) {
        log("verification_sent", userId, null);
    }

    public void emailVerified(String userId) {
        log("email_verified", userId, null);
    }

    /**
     * A signed-in user asked to change its email: the new address masked, and whether it belongs to an account
     * already (then its owner got a notice, and no link was sent).
     */
    public void emailChangeRequested(String userId, String newEmail, boolean addressInUse) {
        log("email_change_requested", userId, newEmail, "addressInUse", Boolean.toString(addressInUse));
    }

    /** The link to the new address was used: the account's email is now the new one (masked here). */
    public void emailChanged(String userId, String newEmail) {
        log("email_changed", userId, newEmail);
    }

    public void passwordChanged(String userId, int sessionsEnded) {
        log("password_changed", userId, null, "sessionsEnded", Integer.toString(sessionsEnded));
    }

    public void profileUpdated(String userId) {
        log("profile_updated", userId, null);
    }

    public void accountDeleted(String userId) {
        log("account_deleted", userId, null);
    }

    public void loginRefusedDisabled(String userId) {
        log("login_disabled", userId, null);
    }

    /**
     * An operator's action through the admin API: who (the IAM caller's ARN), what, and on whom (the user id, or
     * for a look-up by email the email masked as everywhere in the audit trail).
     */
    public void adminAction(String callerArn, String action, String userId, String normalisedEmail) {
        log("admin_action", userId, normalisedEmail, "adminCaller", callerArn, "adminAction", action);
    }

    public void loginRefusedWhileLocked(String userId) {
        log("login_locked", userId, null);
    }

    /** A login from a trusted device (with its device token) succeeded. */
    public void loggedInFromTrustedDevice(String userId) {
        log("login_success", userId, null, "trustedDevice", "true");
    }

    /** A wrong password with a device token of the account: counted against that device token alone. */
    public void deviceLoginFailed(String userId) {
        log("login_failure", userId, null, "trustedDevice", "true");
    }

    /** A device token's own failures locked it (the account's lock for other clients is untouched). */
    public void deviceLockedOut(String userId, long seconds) {
        log("device_lockout", userId, null, "lockSeconds", Long.toString(seconds));
    }

    public void deviceLoginRefusedWhileLocked(String userId) {
        log("login_locked", userId, null, "trustedDevice", "true");
    }

    /**
     * An email of {@code kind} (reset, verification, email-change) was not sent to an address, though the request
     * was answered as always: its budget was spent ({@code budget_spent}) or could not be counted
     * ({@code budget_unavailable}).
     */
    public void mailSuppressed(String kind, String normalisedEmail, String reason) {
        log("mail_suppressed", null, normalisedEmail, "mailKind", kind, "reason", reason);
    }

    /**
     * The source IP (on the line from the request context) spent a budget ({@code login_failures},
     * {@code mail_requests}) and was refused with 429 for {@code retryAfterSeconds}.
     */
    public void rateLimited(String budget, long retryAfterSeconds) {
        log("rate_limited", null, null, "budget", budget, "retryAfterSeconds", Long.toString(retryAfterSeconds));
    }

    /** userId is null when no account has this email. */
    public void resetRequested(String userId, String normalisedEmail) {
        log("reset_requested", userId, normalisedEmail);
    }

    public void resetCompleted(String userId, int sessionsEnded) {
        log("reset_completed", userId, null, "sessionsEnded", Integer.toString(sessionsEnded));
    }

    /** A refresh token was presented again after it had been replaced: the session was ended as stolen. */
    public void refreshTokenReused(String userId, String sessionId) {
        log("refresh_token_reuse", userId, null, "sessionId", sessionId);
    }

    /** A passkey was added to the account (its credential id is a public identifier, no secret). */
    public void passkeyRegistered(String userId, String passkeyId) {
        log("passkey_registered", userId, null, "passkeyId", passkeyId);
    }

    /** A passkey was deleted, by its user or by an operator (then an admin_action line names the operator). */
    public void passkeyDeleted(String userId, String passkeyId) {
        log("passkey_deleted", userId, null, "passkeyId", passkeyId);
    }

    public void passkeySignedIn(String userId, String passkeyId) {
        log("login_success", userId, null, "method", "passkey", "passkeyId", passkeyId);
    }

    /**
     * A passkey sign-in was refused; userId is null until the passkey is known. reason: malformed, challenge (unknown,
     * used or expired), unknown_passkey, not_verified (origin, rp id, signature, flags), backup_eligibility_changed,
     * raced.
     */
    public void passkeySignInFailed(String userId, String reason) {
        log("login_failure", userId, null, "method", "passkey", "reason", reason);
    }

    /** A passkey's signature counter did not go up: the authenticator may have been cloned. The sign-in was refused. */
    public void passkeyCounterWentBackwards(String userId, String passkeyId) {
        log("passkey_counter_backwards", userId, null, "passkeyId", passkeyId);
    }

    /** reason: logout, revoked (by the user from another session), evicted (session cap), expired. */
    public void sessionEnded(String userId, String sessionId, String reason) {
        log("session_ended", userId, null, "sessionId", sessionId, "reason", reason);
    }

    /** A TOTP secret was made and shown; TOTP is not required until a code confirms it. */
    public void totpEnrolmentStarted(String userId) {
        log("totp_enrolment_started", userId, null);
    }

    /** A code confirmed the TOTP secret: it is required from now on; the user's other sessions ended. */
    public void totpEnrolled(String userId, int sessionsEnded) {
        log("totp_enrolled", userId, null, "sessionsEnded", Integer.toString(sessionsEnded));
    }

    /** TOTP was turned off by the user ({@code by}: user; the operator's removal is an admin action). */
    public void totpRemoved(String userId, int sessionsEnded) {
        log("totp_removed", userId, null, "sessionsEnded", Integer.toString(sessionsEnded));
    }

    public void recoveryCodesRegenerated(String userId) {
        log("recovery_codes_regenerated", userId, null);
    }

    /** One recovery code was used up (never the code itself). */
    public void recoveryCodeUsed(String userId) {
        log("recovery_code_used", userId, null);
    }

    /** The password was right and the account has TOTP on: the sign-in waits for its second factor. */
    public void mfaRequired(String userId) {
        log("mfa_required", userId, null);
    }

    /** {@code method}: totp or recovery_code. */
    public void mfaSucceeded(String userId, String method) {
        log("mfa_success", userId, null, "mfaMethod", method);
    }

    /** A wrong second factor; {@code attemptsLeft} 0 when it ended the pending sign-in. userId null if unknown. */
    public void mfaFailed(String userId, int attemptsLeft) {
        log("mfa_failure", userId, null, "attemptsLeft", Integer.toString(attemptsLeft));
    }

    private void log(String event, String userId, String email, String... extra) {
        MDC.put("authEvent", event);
        if (userId != null) {
            MDC.put("userId", userId);
        }
        if (email != null) {
            MDC.put("emailMasked", mask(email));
        }
        for (int i = 0; i + 1 < extra.length; i += 2) {
            MDC.put(extra[i], extra[i + 1]);
        }
        try {
            LOG.infof("auth_event=%s", event);
        } finally {
            MDC.remove("authEvent");
            MDC.remove("userId");
            MDC.remove("emailMasked");
            for (int i = 0; i + 1 < extra.length; i += 2) {
                MDC.remove(extra[i]);
            }
        }
    }

    /** {@code ada@example.com} → {@code a***@example.com}: enough to correlate a report, not to harvest. */
    public static String mask(String email) {
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }
}
