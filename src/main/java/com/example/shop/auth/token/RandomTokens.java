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
    /** A 32-byte token is 43 characters of unpadded base64url. */
    private static final int TOKEN_LENGTH = 43;
    /** The characters whose two low bits are zero: the last of 43 carries only 4 of the 32 bytes' bits. */
    private static final String CANONICAL_LAST = "AEIMQUYcgkosw048";

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

    /**
     * True only for the one spelling of a token of ours: 43 characters of unpadded base64url with its unused bits
     * zero. Arbitrary input never reaches the table as a key, and no token has a second spelling that a deny-list
     * or a cache keyed on the string would miss.
     */
    public static boolean looksLikeToken(String value) {
        return value != null && value.length() == TOKEN_LENGTH
                && value.chars().allMatch(RandomTokens::isBase64Url)
                && CANONICAL_LAST.indexOf(value.charAt(TOKEN_LENGTH - 1)) >= 0;
    }

    /** True for canonical unpadded base64url: only its alphabet, and unused bits of the last character zero. */
    public static boolean isCanonicalBase64Url(String value) {
        if (value == null || !value.chars().allMatch(RandomTokens::isBase64Url) || value.length() % 4 == 1) {
            return false;
        }
        byte[] decoded = Base64.getUrlDecoder().decode(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(value);
    }

    private static boolean isBase64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
