package com.example.shop.auth.store;

import java.time.Instant;

/** A live one-time token (reset link, verification link), known only by the SHA-256 hex of its value. */
public record OneTimeTokenRecord(TokenPurpose purpose, String tokenHash, String ownerId, Instant expiresAt,
        Instant createdAt) {

    public boolean isLive(Instant now) {
        return now.isBefore(expiresAt); // TTL deletion lags, so expiry is checked on every read
    }
}
