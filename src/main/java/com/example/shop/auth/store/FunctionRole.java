package com.example.shop.auth.store;

import java.util.EnumSet;
import java.util.Set;

import static com.example.shop.auth.store.Attribute.*;

/**
 * What each function's IAM role may change on a user item with {@code UpdateItem}, and the kinds of item it may
 * put or delete by key prefix: the template's least-privilege conditions ({@code dynamodb:Attributes},
 * {@code dynamodb:LeadingKeys}) must say the same (a test holds them equal). Roles without an entry here may
 * update any attribute of the items they touch.
 */
public enum FunctionRole {
    /** Signup: creates users, issues and consumes verification links, counts verification resends. */
    SIGNUP("SignupFunctionRole", EnumSet.of(USER_ID, VERIFY_TOKEN, EMAIL_VERIFIED_AT, UPDATED_AT),
            EnumSet.of(ItemKind.VERIFICATION_TOKEN, ItemKind.RATE)),
    /**
     * Login: counts failures (per account, per device token, per source IP), starts, rotates and ends sessions,
     * issues device tokens; keeps sign-ins waiting for their second factor, uses TOTP steps and recovery codes;
     * hands out and consumes passkey sign-in challenges and updates a passkey's counter; never touches passwords.
     */
    LOGIN("LoginFunctionRole", EnumSet.of(USER_ID, FAILED_LOGINS, LOCKED_UNTIL, UPDATED_AT, SESSION_IDS,
            SESSIONS_VERSION, DEVICES, PASSWORD_HASH, TOTP_LAST_STEP, RECOVERY_CODES),
            EnumSet.of(ItemKind.SESSION, ItemKind.RATE, ItemKind.PENDING_MFA, ItemKind.PASSKEY, ItemKind.CHALLENGE)),
    /** Login, when verified emails are required: sends a fresh verification link to an unverified user. */
    LOGIN_VERIFICATION("LoginVerificationPolicy", EnumSet.of(USER_ID, VERIFY_TOKEN),
            EnumSet.of(ItemKind.VERIFICATION_TOKEN)),
    /**
     * Account: the signed-in user's profile, password and sessions; deletes every item of an account; changes its
     * email (issues email-change links; the confirmation moves the email claim, sets the email and marks it
     * verified, withdrawing the links mailed to the old address); enrols, confirms and removes TOTP; registers and
     * deletes the user's passkeys.
     */
    ACCOUNT("AccountFunctionRole", EnumSet.of(USER_ID, NAME, UPDATED_AT, PASSWORD_HASH, PASSWORD_CHANGED_AT,
            FAILED_LOGINS, LOCKED_UNTIL, RESET_TOKEN, SESSION_IDS, SESSIONS_VERSION, EMAIL, EMAIL_VERIFIED_AT,
            VERIFY_TOKEN, EMAIL_CHANGE_TOKEN, TOTP_SECRET, TOTP_PENDING_SECRET, TOTP_LAST_STEP, RECOVERY_CODES,
            PASSKEY_IDS, PASSKEY_CHALLENGE),
            EnumSet.of(ItemKind.EMAIL_CHANGE_TOKEN, ItemKind.EMAIL_CLAIM, ItemKind.RATE, ItemKind.PASSKEY,
                    ItemKind.CHALLENGE)),
    /**
     * Admin: disables and enables, unlocks, signs out, sends resets, removes TOTP, deletes passkeys and accounts;
     * never sets a password.
     */
    ADMIN("AdminFunctionRole", EnumSet.of(USER_ID, DISABLED_AT, DISABLED_REASON, UPDATED_AT, FAILED_LOGINS, LOCKED_UNTIL,
            RESET_TOKEN, SESSION_IDS, SESSIONS_VERSION, TOTP_SECRET, TOTP_PENDING_SECRET, TOTP_LAST_STEP,
            RECOVERY_CODES, PASSKEY_IDS), EnumSet.of(ItemKind.RESET_TOKEN));

    private final String templateResource;
    private final Set<Attribute> updatableUserAttributes;
    private final Set<ItemKind> prefixedKindsWritten;

    FunctionRole(String templateResource, Set<Attribute> updatableUserAttributes, Set<ItemKind> prefixedKindsWritten) {
        this.templateResource = templateResource;
        this.updatableUserAttributes = updatableUserAttributes;
        this.prefixedKindsWritten = prefixedKindsWritten;
    }

    /** The template resource (role or policy) whose statements carry these conditions. */
    public String templateResource() {
        return templateResource;
    }

    public Set<Attribute> updatableUserAttributes() {
        return updatableUserAttributes;
    }

    /** Kinds of item this role puts, updates or deletes under a {@code dynamodb:LeadingKeys} condition. */
    public Set<ItemKind> prefixedKindsWritten() {
        return prefixedKindsWritten;
    }
}
