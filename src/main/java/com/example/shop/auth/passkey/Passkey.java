package com.example.shop.auth.passkey;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** A passkey as its user sees it: never its public key or counter. */
public record Passkey(String passkeyId, String nickname, Instant createdAt, Optional<Instant> lastUsedAt,
        boolean backedUp, Set<String> transports) {
}
