package com.example.shop.auth.mfa;

import java.security.SecureRandom;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * New TOTP secrets, and their encryption by the symmetric KMS key {@code auth.mfa.kms-key-id}: the table holds only
 * the ciphertext, bound to its user by the encryption context {@code {"userId": …}}, so a ciphertext copied to
 * another user's item does not decrypt.
 */
@ApplicationScoped
public class TotpSecrets {

    private final SecureRandom random = new SecureRandom();
    private final KmsClient kms;
    private final String keyId;

    public TotpSecrets(KmsClient kms, AuthConfig config) {
        this.kms = kms;
        this.keyId = config.mfa().kmsKeyId();
    }

    /** 160 random bits. */
    public byte[] newSecret() {
        byte[] secret = new byte[Totp.SECRET_BYTES];
        random.nextBytes(secret);
        return secret;
    }

    public byte[] encrypt(String userId, byte[] secret) {
        return kms.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromByteArray(secret))
                .encryptionContext(context(userId))).ciphertextBlob().asByteArray();
    }

    public byte[] decrypt(String userId, byte[] ciphertext) {
        return kms.decrypt(b -> b.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(ciphertext))
                .encryptionContext(context(userId))).plaintext().asByteArray();
    }

    private static Map<String, String> context(String userId) {
        return Map.of("userId", userId);
    }
}
