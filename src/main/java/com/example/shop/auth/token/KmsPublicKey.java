package com.example.shop.auth.token;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The public half of one KMS signing key, fetched with one {@code GetPublicKey} the first time it is needed and
 * kept for the life of the process.
 */
final class KmsPublicKey {

    private final KmsClient kms;
    private final String keyId;
    private volatile Jwk jwk;

    KmsPublicKey(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    /** The id, ARN or alias as configured (not a secret: it names the key, it does not unlock it). */
    String keyId() {
        return keyId;
    }

    /** The key as a JWK; the first call asks KMS, and throws what KMS or the key's shape makes it throw. */
    Jwk jwk() {
        Jwk current = jwk;
        if (current == null) {
            synchronized (this) {
                if (jwk == null) {
                    jwk = fetch();
                }
                current = jwk;
            }
        }
        return current;
    }

    private Jwk fetch() {
        byte[] der = kms.getPublicKey(b -> b.keyId(keyId)).publicKey().asByteArray();
        try {
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            String n = SigningKey.base64Url(unsigned(key.getModulus()));
            String e = SigningKey.base64Url(unsigned(key.getPublicExponent()));
            String canonical = "{\"e\":\"" + e + "\",\"kty\":\"RSA\",\"n\":\"" + n + "\"}";
            String kid = SigningKey.base64Url(
                    MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
            return new Jwk(kid, n, e, key);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("a JWT signing key in KMS is not an RSA key", e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** kid is the RFC 7638 thumbprint of the public key: stable, and it reveals nothing about the KMS key's ARN. */
    record Jwk(String kid, String n, String e, RSAPublicKey key) {

        /** The JWK as API Gateway's JWT authorizer and other verifiers read it. */
        Map<String, Object> published() {
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kty", "RSA");
            jwk.put("use", "sig");
            jwk.put("alg", "RS256");
            jwk.put("kid", kid);
            jwk.put("n", n);
            jwk.put("e", e);
            return jwk;
        }
    }
}
