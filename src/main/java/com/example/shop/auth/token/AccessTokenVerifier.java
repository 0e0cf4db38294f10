package com.example.shop.auth.token;

import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

import com.example.shop.auth.AuthConfig;

/**
 * Checks the access tokens this service issued: RS256 only, signed by one of our own KMS keys, the one whose
 * thumbprint the token's {@code kid} names (the current key, or a previous one during a rotation; the header's
 * {@code jku}, {@code x5u} and {@code jwk} are never followed), {@code typ: at+jwt}, our issuer and audience,
 * unexpired, with a subject and a session id.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    /** Clock skew tolerated between the signer and us; both are this service, so little is needed. */
    private static final int ALLOWED_SKEW_SECONDS = 30;

    private final SigningKey signingKey;
    private final Clock clock;
    private final AuthConfig.Jwt config;

    public AccessTokenVerifier(SigningKey signingKey, Clock clock, AuthConfig config) {
        this.signingKey = signingKey;
        this.clock = clock;
        this.config = config.jwt();
    }

    /** Who the token speaks for. */
    public record Bearer(String userId, String sessionId) {
    }

    /** Empty for any token that is not a valid, unexpired access token of ours. */
    public Optional<Bearer> verify(String token) {
        if (!isCanonicalCompactJws(token)) {
            return Optional.empty(); // one spelling per token: no padding, other alphabet, spaces or stray bits
        }
        Optional<RSAPublicKey> key = keyNamedBy(token);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256))
                .setVerificationKey(key.get())
                .setExpectedType(true, "at+jwt")
                .setExpectedIssuer(config.issuer())
                .setExpectedAudience(config.audience())
                .setRequireExpirationTime()
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds(ALLOWED_SKEW_SECONDS)
                .setEvaluationTime(NumericDate.fromSeconds(clock.instant().getEpochSecond()))
                .build();
        try {
            JwtContext verified = consumer.process(token);
            String sessionId = verified.getJwtClaims().getStringClaimValue("sid");
            if (sessionId == null || sessionId.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Bearer(verified.getJwtClaims().getSubject(), sessionId));
        } catch (InvalidJwtException | MalformedClaimException e) {
            return Optional.empty();
        }
    }

    /**
     * The public key of ours that the token's {@code kid} names; empty for a token that is not a JWS, has no kid,
     * or names a key we do not trust. Only the signature check, after this, tells whether that key signed it.
     */
    private Optional<RSAPublicKey> keyNamedBy(String token) {
        try {
            JsonWebStructure structure = JsonWebStructure.fromCompactSerialization(token);
            if (!(structure instanceof JsonWebSignature)) {
                return Optional.empty();
            }
            return signingKey.verificationKey(structure.getKeyIdHeaderValue());
        } catch (JoseException e) {
            return Optional.empty();
        }
    }

    private static boolean isCanonicalCompactJws(String token) {
        String[] parts = token.split("\\.", -1);
        return parts.length == 3 && Arrays.stream(parts).allMatch(RandomTokens::isCanonicalBase64Url);
    }
}
