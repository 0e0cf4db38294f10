package com.example.shop.auth.account;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.store.DeviceRecord;
import com.example.shop.auth.store.DeviceStore;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.token.RandomTokens;

/**
 * Device tokens (OWASP's "device cookies"): a successful login hands the client a random 256-bit token, stored only
 * as its SHA-256, on the user's item. A later login of the same account that presents it is not subject to the lock that failures from
 * untrusted clients built, so an attacker who locks an account out cannot lock out its owner's devices; each device
 * token has its own small failure budget instead ({@link PasswordCheck}). A device token proves only that this client
 * logged in to this account before: it never replaces the password.
 */
@ApplicationScoped
public class DeviceTokens {

    private final DeviceStore devices;
    private final RandomTokens randomTokens;
    private final Clock clock;
    private final AuthConfig.Device config;

    public DeviceTokens(DeviceStore devices, RandomTokens randomTokens, Clock clock, AuthConfig config) {
        this.devices = devices;
        this.randomTokens = randomTokens;
        this.clock = clock;
        this.config = config.device();
    }

    /**
     * The user's live device the presented token stands for; empty for anything else (none, malformed, expired,
     * replaced, forged, or another user's: it is looked for among this user's devices only).
     */
    public Optional<DeviceRecord> find(StoredUser user, String presented) {
        if (presented == null || !RandomTokens.looksLikeToken(presented)) {
            return Optional.empty();
        }
        return user.liveDevice(RandomTokens.hash(presented), clock.instant());
    }

    /**
     * A new device token for the user, replacing {@code replaced} (the one this login presented, if any): tokens
     * rotate with every successful login, so a copied one stops working when its owner next logs in. Empty when the
     * user was deleted meanwhile.
     */
    public Optional<String> issue(StoredUser user, Optional<DeviceRecord> replaced) {
        String token = randomTokens.newToken();
        Instant now = clock.instant();
        boolean stored = devices.issue(user, RandomTokens.hash(token), now, now.plus(config.tokenTtl()), replaced,
                config.maxPerUser());
        return stored ? Optional.of(token) : Optional.empty();
    }
}
