package com.example.shop.auth.store;

/** What a WebAuthn challenge was handed out for; a challenge works for its own purpose only. */
public enum ChallengePurpose {
    /** Adding a passkey to a signed-in user's account: the challenge is bound to that user. */
    REGISTRATION("register"),
    /** Signing in with a passkey: no user is known yet (discoverable credentials). */
    SIGN_IN("sign-in");

    final String stored;

    ChallengePurpose(String stored) {
        this.stored = stored;
    }
}
