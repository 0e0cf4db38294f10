package com.example.shop.auth.token;

import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.example.shop.auth.AuthConfig;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * The RS256 keys in KMS: the current one ({@code auth.jwt.kms-key-id}) signs; it and the previous ones
 * ({@code auth.jwt.previous-kms-key-ids}, during a rotation) verify and are published as the JWK set. The private
 * halves never leave KMS: we send it the signing input and get the signature. Each public half is fetched the
 * first time it is needed and kept for the life of the process.
 *
 * <p>A previous key that KMS cannot serve (deleted, disabled, not allowed) never stands in the way of the current
 * one: it is left out of the JWK set, tokens it signed are refused, and KMS is asked again a minute later.
 */
@ApplicationScoped
public class SigningKey {

    private static final Logger LOG = Logger.getLogger(SigningKey.class);

    /** How long a previous key that KMS could not serve is left alone before KMS is asked again. */
    static final Duration RETRY_UNAVAILABLE_AFTER = Duration.ofMinutes(1);

    private final KmsClient kms;
    private final KmsPublicKey current;
    private final List<PreviousKey> previous;

    public SigningKey(KmsClient kms, AuthConfig config) {
        this.kms = kms;
        this.current = new KmsPublicKey(kms, config.jwt().kmsKeyId());
        this.previous = config.jwt().previousKmsKeyIds().orElse(List.of()).stream()
                .map(String::strip)
                .filter(id -> !id.isEmpty() && !id.equals(current.keyId()))
                .distinct()
                .map(id -> new PreviousKey(new KmsPublicKey(kms, id)))
                .toList();
    }

    /** Signs with the current key, whatever happens to the previous ones. */
    public byte[] sign(byte[] signingInput) {
        return kms.sign(b -> b.keyId(current.keyId())
                .message(SdkBytes.fromByteArray(signingInput))
                .messageType(MessageType.RAW)
                .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256))
                .signature().asByteArray();
    }

    /** The current key's RFC 7638 thumbprint, the {@code kid} of every new token. */
    public String kid() {
        return current.jwk().kid();
    }

    /** The current key's public half. */
    public RSAPublicKey publicKey() {
        return current.jwk().key();
    }

    /** The JWK set document served at {@code /.well-known/jwks.json}: the current key first. */
    public Map<String, Object> jwks() {
        return jwkSet().document();
    }

    /**
     * The JWK set, and whether it holds every configured key (false while a previous key cannot be fetched, so
     * that nobody caches the shorter set for long).
     */
    public JwkSet jwkSet() {
        KmsPublicKey.Jwk signing = current.jwk();
        List<Map<String, Object>> keys = new ArrayList<>();
        Set<String> kids = new HashSet<>();
        keys.add(signing.published());
        kids.add(signing.kid());
        boolean complete = true;
        for (PreviousKey key : previous) {
            Optional<KmsPublicKey.Jwk> jwk = key.jwk();
            if (jwk.isEmpty()) {
                complete = false;
            } else if (kids.add(jwk.get().kid())) {
                keys.add(jwk.get().published());
            }
        }
        return new JwkSet(Map.of("keys", List.copyOf(keys)), complete);
    }

    /**
     * The key that verifies a token whose header names {@code kid}: the current key's or a previous key's public
     * half, never any other. Empty for a kid none of them has, or that of a previous key KMS cannot serve.
     */
    public Optional<RSAPublicKey> verificationKey(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        KmsPublicKey.Jwk signing = current.jwk();
        if (signing.kid().equals(kid)) {
            return Optional.of(signing.key());
        }
        for (PreviousKey key : previous) {
            Optional<KmsPublicKey.Jwk> jwk = key.jwk();
            if (jwk.isPresent() && jwk.get().kid().equals(kid)) {
                return Optional.of(jwk.get().key());
            }
        }
        return Optional.empty();
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The published keys; {@code complete} is false when a configured previous key is missing from them. */
    public record JwkSet(Map<String, Object> document, boolean complete) {
    }

    /** A previous key: its failures are logged and remembered for a while instead of thrown. */
    private static final class PreviousKey {

        private final KmsPublicKey key;
        private volatile KmsPublicKey.Jwk jwk;
        /** Wall-clock millis before which KMS is not asked again (a wall clock survives a SnapStart restore). */
        private long retryAt;

        PreviousKey(KmsPublicKey key) {
            this.key = key;
        }

        Optional<KmsPublicKey.Jwk> jwk() {
            KmsPublicKey.Jwk known = jwk;
            if (known != null) {
                return Optional.of(known);
            }
            synchronized (this) {
                if (jwk != null) {
                    return Optional.of(jwk);
                }
                long now = System.currentTimeMillis();
                if (now < retryAt) {
                    return Optional.empty();
                }
                try {
                    jwk = key.jwk();
                    return Optional.of(jwk);
                } catch (SdkException | IllegalStateException e) {
                    retryAt = now + RETRY_UNAVAILABLE_AFTER.toMillis();
                    LOG.warnf("Previous JWT signing key %s is unavailable (%s%s): tokens it signed are refused and it "
                            + "is left out of the JWK set; KMS is asked again in %d s", key.keyId(),
                            e.getClass().getSimpleName(), errorCode(e), RETRY_UNAVAILABLE_AFTER.toSeconds());
                    return Optional.empty();
                }
            }
        }

        private static String errorCode(Exception e) {
            if (e instanceof AwsServiceException s && s.awsErrorDetails() != null
                    && s.awsErrorDetails().errorCode() != null) {
                return " " + s.awsErrorDetails().errorCode();
            }
            return "";
        }
    }
}
