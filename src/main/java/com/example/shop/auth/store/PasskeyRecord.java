package com.example.shop.auth.store;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A stored passkey: its credential id (base64url, also its key), its user, the COSE public key as registered, the
 * signature counter and backup flags as last seen, and what the user sees of it.
 */
public record PasskeyRecord(String passkeyId, String ownerId, byte[] publicKey, long signCount, boolean backupEligible,
        boolean backedUp, Set<String> transports, String aaguid, String nickname, Instant createdAt,
        Optional<Instant> lastUsedAt) {

    @Override
    public String toString() {
        return "PasskeyRecord[" + passkeyId + "]";
    }
}
