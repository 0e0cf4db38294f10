package com.example.shop.auth.user;

import java.time.Instant;
import java.util.Optional;

/**
 * A customer's account as the rest of the service sees it: never a password hash, a token or a version number.
 * The email is normalised.
 */
public record User(
        String userId,
        String email,
        String name,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> emailVerifiedAt,
        Optional<Instant> passwordChangedAt,
        int failedLogins,
        Optional<Instant> lockedUntil) {

    public boolean emailVerified() {
        return emailVerifiedAt.isPresent();
    }
}
