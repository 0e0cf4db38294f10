package com.example.shop.auth.passkey;

/** What a browser needs to sign in with a discoverable passkey: a fresh challenge and the relying party id. */
public record RequestOptions(String challenge, String rpId, long timeoutMillis) {
}
