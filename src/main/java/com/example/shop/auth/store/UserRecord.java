package com.example.shop.auth.store;

import java.time.Instant;
import java.util.Optional;

/** A user as stored: the email is already normalised, the password only as a bcrypt hash. */
public record UserRecord(
        String userId,
        String email,
        String passwordHash,
        String name,
        Instant createdAt,
        Instant updatedAt,
        Optional<String> resetTokenHash,
        int failedLogins,
        Optional<Instant> lockedUntil,
        Optional<Instant> passwordChangedAt) {

    public static UserRecord newUser(String userId, String email, String passwordHash, String name, Instant now) {
        return new UserRecord(userId, email, passwordHash, name, now, now, Optional.empty(), 0, Optional.empty(),
                Optional.empty());
    }
}
