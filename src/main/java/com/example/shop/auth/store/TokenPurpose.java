package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.s;

/**
 * What a one-time token is for. Each purpose has its kind of item and the user attribute naming the user's one live
 * token of that purpose (a newer token replaces the older).
 */
public enum TokenPurpose {
    PASSWORD_RESET(ItemKind.RESET_TOKEN, Attribute.RESET_TOKEN),
    EMAIL_VERIFICATION(ItemKind.VERIFICATION_TOKEN, Attribute.VERIFY_TOKEN),
    /** Proves the new address of an email change; its item also holds that address ({@code pendingEmail}). */
    EMAIL_CHANGE(ItemKind.EMAIL_CHANGE_TOKEN, Attribute.EMAIL_CHANGE_TOKEN);

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

    /** The user item still names the token of this purpose it named when read (or still none). */
    Condition unchangedOn(UserItem user) {
        String attribute = userAttributeName();
        return user.liveToken(this)
                .map(hash -> Condition.of(attribute + " = :" + attribute, ":" + attribute, s(hash)))
                .orElse(Condition.of("attribute_not_exists(" + attribute + ")"));
    }
}
