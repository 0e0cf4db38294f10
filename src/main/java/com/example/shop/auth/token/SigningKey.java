package com.example.shop.auth.token;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * The RS256 key in KMS. The private half never leaves KMS: we send it the signing input and get the signature.
 * The public half is fetched once per process and published as a JWK set.
 */
@ApplicationScoped
public class SigningKey {

    private final KmsClient kms;
    private final String keyId;
    private volatile PublicJwk publicJwk;

    public SigningKey(KmsClient kms, AuthConfig config) {
        this.kms = kms;
        this.keyId = config.jwt().kmsKeyId();
    }

    public byte[] sign(byte[] signingInput) {
        return kms.sign(b -> b.keyId(keyId)
                .message(SdkBytes.fromByteArray(signingInput))
                .messageType(MessageType.RAW)
                .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256))
                .signature().asByteArray();
    }

    /** The RFC 7638 thumbprint of the public key: stable, and it reveals nothing about the KMS key's ARN. */
    public String kid() {
        return publicJwk().kid();
    }

    /** The JWK set document served at {@code /.well-known/jwks.json}. */
    public Map<String, Object> jwks() {
        PublicJwk jwk = publicJwk();
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("kty", "RSA");
        key.put("use", "sig");
        key.put("alg", "RS256");
        key.put("kid", jwk.kid());
        key.put("n", jwk.n());
        key.put("e", jwk.e());
        return Map.of("keys", List.of(key));
    }

    /** The public key that verifies this service's own access tokens. */
    public RSAPublicKey publicKey() {
        return publicJwk().key();
    }

    private PublicJwk publicJwk() {
        PublicJwk current = publicJwk;
        if (current == null) {
            synchronized (this) {
                if (publicJwk == null) {
                    publicJwk = fetchPublicKey();
                }
                current = publicJwk;
            }
        }
        return current;
    }

    private PublicJwk fetchPublicKey() {
        byte[] der = kms.getPublicKey(b -> b.keyId(keyId)).publicKey().asByteArray();
        try {
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            String n = base64Url(unsigned(key.getModulus()));
            String e = base64Url(unsigned(key.getPublicExponent()));
            String canonical = "{\"e\":\"" + e + "\",\"kty\":\"RSA\",\"n\":\"" + n + "\"}";
            String kid = base64Url(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
            return new PublicJwk(kid, n, e, key);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("the JWT signing key in KMS is not an RSA key", e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private record PublicJwk(String kid, String n, String e, RSAPublicKey key) {
    }
}
