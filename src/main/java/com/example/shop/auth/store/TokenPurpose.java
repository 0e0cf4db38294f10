package com.example.shop.auth.store;

/**
 * What a one-time token is for. Each purpose has its kind of item and the user attribute naming the user's one live
 * token of that purpose (a newer token replaces the older).
 */
public enum TokenPurpose {
    PASSWORD_RESET(ItemKind.RESET_TOKEN, Attribute.RESET_TOKEN),
    EMAIL_VERIFICATION(ItemKind.VERIFICATION_TOKEN, Attribute.VERIFY_TOKEN);

    final ItemKind kind;
    final Attribute userAttribute;

    TokenPurpose(ItemKind kind, Attribute userAttribute) {
        this.kind = kind;
        this.userAttribute = userAttribute;
    }

    String key(String tokenHash) {
        return kind.key(tokenHash);
    }

    String userAttributeName() {
        return userAttribute.attributeName();
    }
}
