package com.example.shop.auth.session;

import java.util.Optional;
import java.util.regex.Pattern;

import com.example.shop.auth.token.RandomTokens;

/**
 * A refresh token as clients hold it: {@code <user id>.<session id>.<256 random bits>}. Opaque to them; the ids let
 * one consistent round trip read the session and its user, and only the token's SHA-256 is stored. Tokens issued
 * before the user id was added ({@code <session id>.<random>}) still parse, with no owner.
 */
record RefreshToken(Optional<String> ownerId, String sessionId, String value) {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static boolean isSessionId(String value) {
        return value != null && UUID.matcher(value).matches();
    }

    static RefreshToken of(String ownerId, String sessionId, String secret) {
        return new RefreshToken(Optional.of(ownerId), sessionId, ownerId + "." + sessionId + "." + secret);
    }

    /** Empty when the value cannot be a token of ours, so arbitrary input never reaches the table as a key. */
    static Optional<RefreshToken> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length == 3 && isSessionId(parts[0]) && isSessionId(parts[1]) && RandomTokens.looksLikeToken(parts[2])) {
            return Optional.of(new RefreshToken(Optional.of(parts[0]), parts[1], value));
        }
        if (parts.length == 2 && isSessionId(parts[0]) && RandomTokens.looksLikeToken(parts[1])) {
            return Optional.of(new RefreshToken(Optional.empty(), parts[0], value));
        }
        return Optional.empty();
    }

    String hash() {
        return RandomTokens.hash(value);
    }

    @Override
    public String toString() {
        return "RefreshToken[session " + sessionId + "]"; // never the secret, should one reach a log
    }
}
