package com.example.shop.auth.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

/** Secret tokens (reset links, refresh tokens): 256 random bits, and the SHA-256 that is all the table ever sees. */
@ApplicationScoped
public class RandomTokens {

    private static final int TOKEN_BYTES = 32;
    /** Longest value {@link #looksLikeToken} accepts; a 32-byte token is 43 characters of unpadded base64url. */
    private static final int MAX_TOKEN_LENGTH = 64;

    private final SecureRandom random = new SecureRandom();

    public String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Cheap shape check so that arbitrary input never reaches the table as a key. */
    public static boolean looksLikeToken(String value) {
        return value != null && !value.isEmpty() && value.length() <= MAX_TOKEN_LENGTH
                && value.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                        || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }
}
