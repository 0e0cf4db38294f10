package com.example.shop.auth.account;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

import com.example.shop.auth.AuthConfig;

import io.quarkus.elytron.security.common.BcryptUtil;

/** bcrypt through Elytron, at the configured cost. */
@Startup // the dummy hash costs one bcrypt round: pay it at init, not on the first unknown-email login
@Singleton
public class PasswordHasher {

    private final int cost;
    /**
     * A valid hash of a random password at the same cost. Logins for unknown emails verify against it, so they
     * take as long as a wrong password for a real account.
     */
    private final String dummyHash;

    public PasswordHasher(AuthConfig config) {
        this.cost = config.password().bcryptCost();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.dummyHash = BcryptUtil.bcryptHash(Base64.getEncoder().encodeToString(random), cost);
    }

    public String hash(String normalisedPassword) {
        return BcryptUtil.bcryptHash(normalisedPassword, cost);
    }

    public boolean matches(String normalisedPassword, String hash) {
        return BcryptUtil.matches(normalisedPassword, hash);
    }

    /** Spends the same time as {@link #matches} and always fails. */
    public void matchesNothing(String normalisedPassword) {
        BcryptUtil.matches(normalisedPassword, dummyHash);
    }
}
