package com.example.shop.auth.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.example.shop.auth.user.User;

import software.amazon.awssdk.core.SdkBytes;

/**
 * A user item as read: what {@link User} shows, and what only the store needs to write it safely: the hashes of the
 * user's live one-time tokens, its passkey ids, its session ids (some may have ended by time since), and {@code sessionsVersion},
 * which changes with every change to that list, so writes that replace it can tell when they raced another.
 */
record UserItem(User user, String passwordHash, Optional<String> resetTokenHash, Optional<String> verifyTokenHash,
        Optional<String> emailChangeTokenHash, Set<String> sessionIds, long sessionsVersion,
        Optional<Map<String, DeviceRecord>> deviceMap, Totp totp, Set<String> passkeyIds,
        Optional<String> passkeyChallenge) {

    /**
     * The user's TOTP state: the KMS ciphertexts of its confirmed and its pending secret, the last time step a code
     * was accepted for, and the SHA-256 hashes of its unused recovery codes.
     */
    record Totp(Optional<SdkBytes> secret, Optional<SdkBytes> pendingSecret, long lastStep,
            Set<String> recoveryCodeHashes) {
        static final Totp NONE = new Totp(Optional.empty(), Optional.empty(), 0, Set.of());
    }

    /** The user's device tokens by hash (expired ones included: TTL cannot delete entries of a map). */
    Map<String, DeviceRecord> devices() {
        return deviceMap.orElse(Map.of());
    }

    /** Whether the item has the {@code devices} attribute at all (possibly empty). */
    boolean hasDevicesAttribute() {
        return deviceMap.isPresent();
    }

    String userId() {
        return user.userId();
    }

    /** The hash of the user's one live token of that purpose. */
    Optional<String> liveToken(TokenPurpose purpose) {
        return switch (purpose) {
            case PASSWORD_RESET -> resetTokenHash;
            case EMAIL_VERIFICATION -> verifyTokenHash;
            case EMAIL_CHANGE -> emailChangeTokenHash;
        };
    }

    static UserItem newUser(String userId, String email, String passwordHash, String name, Instant now) {
        User user = new User(userId, email, name, now, now, Optional.empty(), Optional.empty(), 0, Optional.empty(),
                Optional.empty(), Optional.empty(), false, 0);
        return new UserItem(user, passwordHash, Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), 0,
                Optional.empty(), Totp.NONE, Set.of(), Optional.empty());
    }
}
