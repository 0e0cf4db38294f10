package com.example.shop.auth.store;

/**
 * What a one-time token is for. Each purpose has its item prefix and the user attribute naming the user's one live
 * token of that purpose (a newer token replaces the older).
 */
public enum TokenPurpose {
    PASSWORD_RESET("RESET#", "resetToken"),
    EMAIL_VERIFICATION("VERIFY#", "verifyToken");

    final String prefix;
    final String userAttribute;

    TokenPurpose(String prefix, String userAttribute) {
        this.prefix = prefix;
        this.userAttribute = userAttribute;
    }

    /** The start of the key of this purpose's token items; the rest is the token's hash. */
    public String prefix() {
        return prefix;
    }
}
