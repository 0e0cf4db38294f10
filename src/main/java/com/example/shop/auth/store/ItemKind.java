package com.example.shop.auth.store;

/**
 * The kinds of item in the users table, told apart by the start of their key ({@code userId}): a user's key is
 * its UUID, every other kind carries a prefix. This is the one place that spells the prefixes.
 */
public enum ItemKind {
    EMAIL_CLAIM("email_claim", "EMAIL#", false),
    RESET_TOKEN("reset_token", "RESET#", true),
    VERIFICATION_TOKEN("verification_token", "VERIFY#", true),
    EMAIL_CHANGE_TOKEN("email_change_token", "EMAILCHANGE#", true),
    SESSION("session", "SESSION#", false),
    /** A password sign-in waiting for its second factor; the key holds the SHA-256 of the mfa token. */
    PENDING_MFA("pending_mfa", "MFA#", true),
    /** An abuse-budget counter of one fixed window (see RateCounterStore). */
    RATE("rate", "RATE#", false),
    /** A passkey (WebAuthn credential), keyed by its credential id in base64url (see PasskeyStore). */
    PASSKEY("passkey", "PASSKEY#", false),
    /** A WebAuthn challenge handed out and not yet used: the key holds its SHA-256 (see ChallengeStore). */
    CHALLENGE("challenge", "CHALLENGE#", true),
    USER("user", "", false);

    private final String label;
    private final String prefix;
    private final boolean keyHoldsTokenHash;

    ItemKind(String label, String prefix, boolean keyHoldsTokenHash) {
        this.label = label;
        this.prefix = prefix;
        this.keyHoldsTokenHash = keyHoldsTokenHash;
    }

    /** The kind of the item with this key. */
    public static ItemKind of(String key) {
        for (ItemKind kind : values()) {
            if (!kind.prefix.isEmpty() && key.startsWith(kind.prefix)) {
                return kind;
            }
        }
        return USER;
    }

    /** A short name for logs and audit lines. */
    public String label() {
        return label;
    }

    /** The start of every key of this kind (empty for users). */
    public String prefix() {
        return prefix;
    }

    /** True when the rest of the key is the SHA-256 of a live one-time token, which must never be shown. */
    public boolean keyHoldsTokenHash() {
        return keyHoldsTokenHash;
    }

    /** The key of the item of this kind named {@code id}. */
    String key(String id) {
        return prefix + id;
    }

    /** The id within the key (the key without the prefix). */
    public String idOf(String key) {
        return key.substring(prefix.length());
    }
}
