package com.example.shop.auth.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A sign-in session, known to clients by its id and its current refresh token (stored only as a SHA-256 hash).
 * {@code spent} are the tokens it replaced, oldest first, each with the moment it was replaced, so a replaced token
 * presented again is recognised as reuse, or, within the grace period of its own replacement, as another tab
 * refreshing at the same time; {@code rotatedAt} is the latest replacement. {@code expiresAt} is the absolute end,
 * whatever the use. {@code amr} are the RFC 8176 methods the sign-in used ({@code pwd}, {@code otp} …): every access
 * token of the session carries them, refreshed ones too.
 */
public record SessionRecord(
        String sessionId,
        String ownerId,
        String refreshHash,
        List<SpentToken> spent,
        Instant rotatedAt,
        Instant createdAt,
        Instant lastUsedAt,
        Instant expiresAt,
        String userAgent,
        List<String> amr) {

    /** Live until its absolute end and until it has been unused for the idle timeout, whichever comes first. */
    public boolean isLive(Instant now, Duration idleTimeout) {
        return now.isBefore(endsAt(idleTimeout));
    }

    public Instant endsAt(Duration idleTimeout) {
        Instant idleEnd = lastUsedAt.plus(idleTimeout);
        return idleEnd.isBefore(expiresAt) ? idleEnd : expiresAt;
    }

    /** A replaced refresh token: its hash, and when it was replaced. */
    public record SpentToken(String hash, Instant spentAt) {
    }

    /** When the token with this hash was replaced, if it is one this session replaced. */
    public Optional<Instant> spentAt(String tokenHash) {
        return spent.stream().filter(t -> t.hash().equals(tokenHash)).map(SpentToken::spentAt).findFirst();
    }
}
