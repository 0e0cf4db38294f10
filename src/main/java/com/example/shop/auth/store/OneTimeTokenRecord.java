package com.example.shop.auth.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A live one-time token (reset, verification or email-change link), known only by the SHA-256 hex of its value; an
 * email-change token also holds the address it would give its user.
 */
public record OneTimeTokenRecord(TokenPurpose purpose, String tokenHash, String ownerId, Instant expiresAt,
        Instant createdAt, Optional<String> pendingEmail) {

    public boolean isLive(Instant now) {
        return now.isBefore(expiresAt); // TTL deletion lags, so expiry is checked on every read
    }

    @Override
    public String toString() { // never the hash nor the address, should one reach a log
        return "OneTimeTokenRecord[" + purpose + ", owner " + ownerId + ", expires " + expiresAt + "]";
    }
}
