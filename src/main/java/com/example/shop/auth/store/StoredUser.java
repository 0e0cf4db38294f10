package com.example.shop.auth.store;

import java.time.Instant;
import java.util.Optional;

import com.example.shop.auth.user.User;

import software.amazon.awssdk.core.SdkBytes;

/**
 * A user as one read found it: its view, and its password hash for the bcrypt check. Store operations that change
 * the user take it back, start from what was read (no second read), and read again only when they lost a race.
 */
public final class StoredUser {

    final UserItem item;

    StoredUser(UserItem item) {
        this.item = item;
    }

    public User user() {
        return item.user();
    }

    public String userId() {
        return item.userId();
    }

    public String passwordHash() {
        return item.passwordHash();
    }

    /** The user's device token with this hash, if it has one that has not expired. */
    public Optional<DeviceRecord> liveDevice(String tokenHash, Instant now) {
        return Optional.ofNullable(item.devices().get(tokenHash)).filter(d -> now.isBefore(d.expiresAt()));
    }

    /** The sessions the user item lists (some may have ended by time since). */
    public int listedSessions() {
        return item.sessionIds().size();
    }

    /** The KMS ciphertext of the user's confirmed TOTP secret, while TOTP is on. */
    public Optional<byte[]> totpSecretCiphertext() {
        return item.totp().secret().map(SdkBytes::asByteArray);
    }

    /** The KMS ciphertext of a TOTP secret shown at enrolment and not yet confirmed. */
    public Optional<byte[]> pendingTotpSecretCiphertext() {
        return item.totp().pendingSecret().map(SdkBytes::asByteArray);
    }

    /** The last time step a TOTP code of the user was accepted for (0: none yet). */
    public long totpLastStep() {
        return item.totp().lastStep();
    }

    /** Whether a recovery code with this SHA-256 hash is one of the user's unused ones. */
    public boolean hasRecoveryCode(String hash) {
        return item.totp().recoveryCodeHashes().contains(hash);
    }

    @Override
    public String toString() {
        return "StoredUser[" + item.userId() + "]"; // never the hash, should one reach a log
    }
}
