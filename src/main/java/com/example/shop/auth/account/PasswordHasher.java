package com.example.shop.auth.account;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.inject.Singleton;

import com.example.shop.auth.AuthConfig;

import io.quarkus.elytron.security.common.BcryptUtil;

/** bcrypt through Elytron, at the configured cost. */
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
        this.dummyHash = dummyHash(cost);
    }

    /**
     * A real bcrypt hash of a random password made at the lowest cost, relabelled with the given cost: still
     * well-formed (its salt and digest just match no password), and verifying against it spends the full rounds
     * of that cost, without spending them at startup (a cost-12 hash would add ~0.4 s to every cold start).
     */
    static String dummyHash(int cost) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String cheap = BcryptUtil.bcryptHash(Base64.getEncoder().encodeToString(random), 4); // "$2a$04$..."
        return cheap.substring(0, 4) + String.format("%02d", cost) + cheap.substring(6);
    }

    public String hash(String normalisedPassword) {
        return BcryptUtil.bcryptHash(normalisedPassword, cost);
    }

    public boolean matches(String normalisedPassword, String hash) {
        return BcryptUtil.matches(normalisedPassword, hash);
    }

    /**
     * True when the hash was made at a lower cost than the configured one (an imported user, or a cost raised
     * since): its owner's next successful login stores a new hash at the configured cost.
     */
    public boolean needsRehash(String hash) {
        // $2a$NN$...: the cost is the two digits after the second '$'
        return hash.length() > 6 && hash.charAt(0) == '$' && Integer.parseInt(hash.substring(4, 6)) < cost;
    }

    /** Spends the same time as {@link #matches} and always fails. */
    public void matchesNothing(String normalisedPassword) {
        BcryptUtil.matches(normalisedPassword, dummyHash);
    }
}
