package com.example.shop.auth.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A trusted device: a client that once logged in to {@code ownerId}'s account and kept the device token it got,
 * known only by the SHA-256 hex of that token. It carries its own count of consecutive failed logins and its own
 * lock, apart from the account's.
 */
public record DeviceRecord(String tokenHash, String ownerId, Instant createdAt, Instant expiresAt, int failedLogins,
        Optional<Instant> lockedUntil) {

    @Override
    public String toString() {
        return "DeviceRecord[" + ownerId + "]"; // never the hash, should one reach a log
    }
}
