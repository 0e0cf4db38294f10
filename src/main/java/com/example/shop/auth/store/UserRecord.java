package com.example.shop.auth.store;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A user as stored: the email is already normalised, the password only as a bcrypt hash. {@code sessionIds} lists
 * the user's sessions (some may have ended by time since); {@code sessionsVersion} changes with every change to it,
 * so writes that replace the list can tell when they raced another.
 */
public record UserRecord(
        String userId,
        String email,
        String passwordHash,
        String name,
        Instant createdAt,
        Instant updatedAt,
        Optional<String> resetTokenHash,
        Optional<String> verifyTokenHash,
        int failedLogins,
        Optional<Instant> lockedUntil,
        Optional<Instant> passwordChangedAt,
        Optional<Instant> emailVerifiedAt,
        Set<String> sessionIds,
        long sessionsVersion) {

    public static UserRecord newUser(String userId, String email, String passwordHash, String name, Instant now) {
        return new UserRecord(userId, email, passwordHash, name, now, now, Optional.empty(), Optional.empty(), 0,
                Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), 0);
    }

    /** The hash of the user's one live token of that purpose. */
    public Optional<String> liveToken(TokenPurpose purpose) {
        return switch (purpose) {
            case PASSWORD_RESET -> resetTokenHash;
            case EMAIL_VERIFICATION -> verifyTokenHash;
        };
    }

    public boolean emailVerified() {
        return emailVerifiedAt.isPresent();
    }
}
