package com.example.shop.auth.store;

import java.time.Instant;

/** A live reset token, known only by the SHA-256 hex of its value. */
public record ResetTokenRecord(String tokenHash, String ownerId, Instant expiresAt, Instant createdAt) {
}
