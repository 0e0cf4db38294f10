package com.example.shop.auth.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A sign-in session, known to clients by its id and its current refresh token (stored only as a SHA-256 hash).
 * {@code spentRefreshHashes} are the hashes of the tokens it replaced, newest last, so a replaced token presented
 * again is recognised as reuse; {@code rotatedAt} is when the newest of them was replaced (the grace period runs
 * from there). {@code expiresAt} is the absolute end, whatever the use.
 */
public record SessionRecord(
        String sessionId,
        String ownerId,
        String refreshHash,
        List<String> spentRefreshHashes,
        Instant rotatedAt,
        Instant createdAt,
        Instant lastUsedAt,
        Instant expiresAt,
        String userAgent) {

    /** Live until its absolute end and until it has been unused for the idle timeout, whichever comes first. */
    public boolean isLive(Instant now, Duration idleTimeout) {
        return now.isBefore(endsAt(idleTimeout));
    }

    public Instant endsAt(Duration idleTimeout) {
        Instant idleEnd = lastUsedAt.plus(idleTimeout);
        return idleEnd.isBefore(expiresAt) ? idleEnd : expiresAt;
    }

    public boolean isLastSpent(String tokenHash) {
        return !spentRefreshHashes.isEmpty() && spentRefreshHashes.get(spentRefreshHashes.size() - 1).equals(tokenHash);
    }
}
