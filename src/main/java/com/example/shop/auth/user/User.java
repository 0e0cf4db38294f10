package com.example.shop.auth.user;

import java.time.Instant;
import java.util.Optional;

/**
 * A customer's account as the rest of the service sees it: never a password hash, a token or a version number.
 * The email is normalised. {@code totpEnabled}: a confirmed TOTP authenticator is required at every password sign-in.
 * {@code passkeys}: how many passkeys the user has.
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
        Optional<Instant> lockedUntil,
        Optional<Instant> disabledAt,
        Optional<String> disabledReason,
        boolean totpEnabled,
        int passkeys) {

    public boolean emailVerified() {
        return emailVerifiedAt.isPresent();
    }

    /** Disabled by an operator: no sign-in, no token and no email works until it is enabled again. */
    public boolean disabled() {
        return disabledAt.isPresent();
    }
}
