package com.example.shop.auth.token;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Issues short-lived RS256 access tokens (RFC 9068 style: {@code typ: at+jwt}) signed by the current KMS key, whose
 * thumbprint is their {@code kid}.
 */
@ApplicationScoped
public class AccessTokens {

    private final SigningKey signingKey;
    private final ObjectMapper json;
    private final Clock clock;
    private final AuthConfig.Jwt config;

    public AccessTokens(SigningKey signingKey, ObjectMapper json, Clock clock, AuthConfig config) {
        this.signingKey = signingKey;
        this.json = json;
        this.clock = clock;
        this.config = config.jwt();
    }

    /** @param amr how the session's sign-in was made (RFC 8176 method names), the token's {@code amr} claim */
    public IssuedToken issue(String userId, String email, boolean emailVerified, String sessionId, List<String> amr) {
        Instant now = clock.instant();
        long expiresIn = config.ttl().toSeconds();

        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "at+jwt");
        header.put("kid", signingKey.kid());

        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", config.issuer());
        claims.put("aud", config.audience());
        claims.put("sub", userId);
        claims.put("email", email);
        claims.put("email_verified", emailVerified);
        claims.put("sid", sessionId);
        claims.put("amr", amr);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.getEpochSecond() + expiresIn);
        claims.put("jti", UUID.randomUUID().toString());

        String signingInput = encode(header) + "." + encode(claims);
        byte[] signature = signingKey.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return new IssuedToken(signingInput + "." + SigningKey.base64Url(signature), expiresIn);
    }

    private String encode(Map<String, Object> part) {
        try {
            return SigningKey.base64Url(json.writeValueAsBytes(part));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always serialises", e);
        }
    }

    public record IssuedToken(String value, long expiresInSeconds) {
    }
}
