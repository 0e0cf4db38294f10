package com.example.shop.auth.store;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every attribute the table's items carry, with whether its value may appear in the stream audit. This is the one
 * place that spells attribute names; the store's expressions use these names, and a test holds the template's IAM
 * attribute lists against {@link FunctionRole}.
 */
public enum Attribute {
    /** The table's partition key: a user's UUID, or a prefixed key (see {@link ItemKind}). */
    USER_ID("userId", true),
    OWNER_ID("ownerId", true),
    CREATED_AT("createdAt", true),
    /** The table's TTL attribute (epoch seconds): carried by every expiring item, never by a user. */
    TTL("resetTokenExpiry", true),

    // users
    /** Only user items carry it, so the email-index GSI holds users only. Masked wherever it is shown. */
    EMAIL("email", true),
    PASSWORD_HASH("passwordHash", false),
    NAME("name", true),
    UPDATED_AT("updatedAt", true),
    /** The SHA-256 of the user's one live reset token. */
    RESET_TOKEN("resetToken", false),
    /** The SHA-256 of the user's one live verification token. */
    VERIFY_TOKEN("verifyToken", false),
    /** The SHA-256 of the user's one live email-change token. */
    EMAIL_CHANGE_TOKEN("emailChangeToken", false),
    FAILED_LOGINS("failedLogins", true),
    LOCKED_UNTIL("lockedUntil", true),
    PASSWORD_CHANGED_AT("passwordChangedAt", true),
    EMAIL_VERIFIED_AT("emailVerifiedAt", true),
    /** Set while an operator has disabled the account. */
    DISABLED_AT("disabledAt", true),
    /** The operator's reason: free text, so named as changed in the stream audit, never shown. */
    DISABLED_REASON("disabledReason", false),
    SESSION_IDS("sessionIds", false),
    /** Changes with every change to {@link #SESSION_IDS}, so writes that replace the list can tell they raced. */
    SESSIONS_VERSION("sessionsVersion", false),
    /**
     * The user's device tokens: a map from each token's SHA-256 to its createdAt, expiresAt, failedLogins and
     * lockedUntil (see DeviceStore). Its keys are token hashes: named as changed, never shown.
     */
    DEVICES("devices", false),
    /** The user's TOTP secret, encrypted by KMS (encryption context: the user id). Present while TOTP is on. */
    TOTP_SECRET("totpSecret", false),
    /** A TOTP secret shown at enrolment and not yet confirmed with a code (encrypted like {@link #TOTP_SECRET}). */
    TOTP_PENDING_SECRET("totpPendingSecret", false),
    /** The last RFC 6238 time step a code was accepted for: each step's code works once. */
    TOTP_LAST_STEP("totpLastStep", false),
    /** The SHA-256 hashes of the user's unused recovery codes. */
    RECOVERY_CODES("recoveryCodes", false),
    /** The credential ids of the user's passkeys (a string set; absent when there are none). */
    PASSKEY_IDS("passkeyIds", false),
    /**
     * The SHA-256 of the user's one live passkey registration challenge, so a newer one replaces it and deleting the
     * account deletes it.
     */
    PASSKEY_CHALLENGE("passkeyChallenge", false),

    // sessions
    REFRESH_HASH("refreshHash", false),
    SPENT_REFRESH_HASHES("spentRefreshHashes", false),
    ROTATED_AT("rotatedAt", false),
    LAST_USED_AT("lastUsedAt", true),
    EXPIRES_AT("expiresAt", false),
    USER_AGENT("userAgent", true),
    /** How the session's sign-in was made (RFC 8176 method names, e.g. pwd, otp, mfa). */
    AMR("amr", true),

    // email-change tokens
    /**
     * The address an email-change token would give its user. Not named {@code email}: only user items carry that,
     * so the email-index GSI holds users only. Masked wherever it is shown, like {@link #EMAIL}.
     */
    PENDING_EMAIL("pendingEmail", true),

    // pending second factors
    /** The wrong codes a pending second factor still allows before it ends. */
    ATTEMPTS_LEFT("attemptsLeft", true),
    // passkeys
    /** The credential's COSE public key, as the authenticator sent it at registration (CBOR bytes). */
    PUBLIC_KEY("publicKey", false),
    /** The authenticator's signature counter as last seen; 0 for authenticators that keep none. */
    SIGN_COUNT("signCount", true),
    /** The BE flag at registration: whether the credential may be synced. It must never change. */
    BACKUP_ELIGIBLE("backupEligible", true),
    /** The BS flag as last seen: whether the credential is backed up (synced) now. */
    BACKED_UP("backedUp", true),
    TRANSPORTS("transports", true),
    /** The authenticator model's id (all zeros for most synced passkeys); attestation is not verified. */
    AAGUID("aaguid", true),
    /** The user's name for the passkey: free text, so named as changed in the stream audit, never shown. */
    NICKNAME("nickname", false),

    // WebAuthn challenges
    /** What a challenge is for: a registration (then {@code ownerId} is its user) or a sign-in. */
    PURPOSE("purpose", true),

    // abuse-budget counters
    /** How many times a budget was charged in the counter's window (a reserved word in expressions: #count). */
    COUNT("count", true);

    private final String attributeName;
    private final boolean shownInAudit;

    Attribute(String attributeName, boolean shownInAudit) {
        this.attributeName = attributeName;
        this.shownInAudit = shownInAudit;
    }

    /** The name as stored. */
    public String attributeName() {
        return attributeName;
    }

    /**
     * Whether the stream audit may show this attribute's value (emails masked). Hashes, tokens and version
     * numbers are only named as changed; an attribute that is not listed here is never shown.
     */
    public boolean shownInAudit() {
        return shownInAudit;
    }

    /** True for the attributes holding an email address, which the audit shows masked only. */
    public boolean holdsEmail() {
        return this == EMAIL || this == PENDING_EMAIL;
    }

    public static Optional<Attribute> named(String attributeName) {
        return Arrays.stream(values()).filter(a -> a.attributeName.equals(attributeName)).findFirst();
    }
}
