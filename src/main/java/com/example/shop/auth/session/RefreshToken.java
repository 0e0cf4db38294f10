package com.example.shop.auth.session;

import java.util.Optional;
import java.util.regex.Pattern;

import com.example.shop.auth.token.RandomTokens;

/**
 * A refresh token as clients hold it: {@code <session id>.<256 random bits>}. Opaque to them; the session id
 * lets one consistent read find the session, and only the token's SHA-256 is stored.
 */
record RefreshToken(String sessionId, String value) {

    private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static boolean isSessionId(String value) {
        return value != null && SESSION_ID.matcher(value).matches();
    }

    static RefreshToken of(String sessionId, String secret) {
        return new RefreshToken(sessionId, sessionId + "." + secret);
    }

    /** Empty when the value cannot be a token of ours, so arbitrary input never reaches the table as a key. */
    static Optional<RefreshToken> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int dot = value.indexOf('.');
        if (dot < 0 || !isSessionId(value.substring(0, dot))
                || !RandomTokens.looksLikeToken(value.substring(dot + 1))) {
            return Optional.empty();
        }
        return Optional.of(new RefreshToken(value.substring(0, dot), value));
    }

    String hash() {
        return RandomTokens.hash(value);
    }

    @Override
    public String toString() {
        return "RefreshToken[session " + sessionId + "]"; // never the secret, should one reach a log
    }
}
