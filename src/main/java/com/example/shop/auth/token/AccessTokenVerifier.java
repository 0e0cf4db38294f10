package com.example.shop.auth.token;

import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

import com.example.shop.auth.AuthConfig;

/**
 * Checks the access tokens this service issued: RS256 only, signed by our own KMS key (whatever the token's header
 * says about keys: {@code jku}, {@code x5u} and {@code jwk} are never followed), {@code typ: at+jwt}, our issuer
 * and audience, unexpired, with a subject and a session id.
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
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256))
                .setVerificationKey(signingKey.publicKey())
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
}
