package com.example.shop.auth.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;

/**
 * A passkey authenticator in software, as a browser with a platform authenticator would answer: one ES256 key
 * per credential, attestation "none", and the JSON that PublicKeyCredential.toJSON() gives. Every part a test
 * may want wrong can be set: the origin and rp id it claims, the counter, the flags, and the key that signs.
 */
public final class SoftwareAuthenticator {

    public static final String ORIGIN = "https://shop.example.com";
    public static final String RP_ID = "shop.example.com";
    private static final ObjectConverter CONVERTER = new ObjectConverter();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keyPair = newKey();
    private final byte[] credentialId = new byte[32];
    private String userHandle;

    public String origin = ORIGIN;
    public String rpId = RP_ID;
    public long signCount = 0;
    public boolean userVerified = true;
    public boolean backupEligible = true;
    public boolean backedUp = true;
    /** The key that signs assertions; another key than the registered one makes a bad signature. */
    public KeyPair signingKey = keyPair;

    public SoftwareAuthenticator() {
        RANDOM.nextBytes(credentialId);
    }

    /** The key pair of the registered credential. */
    public KeyPair registeredKey() {
        return keyPair;
    }

    public String credentialId() {
        return base64Url(credentialId);
    }

    /** A RegistrationResponseJSON answering the creation options' challenge for their user. */
    public Map<String, Object> register(String challenge, String userHandle) {
        this.userHandle = userHandle;
        byte[] clientData = clientData("webauthn.create", challenge);
        AttestedCredentialData attested = new AttestedCredentialData(AAGUID.ZERO, credentialId,
                EC2COSEKey.create((ECPublicKey) keyPair.getPublic(), COSEAlgorithmIdentifier.ES256));
        AuthenticatorData<com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput> data =
                new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)),
                        (byte) (flags() | AuthenticatorData.BIT_AT), signCount, attested);
        byte[] attestationObject = new AttestationObjectConverter(CONVERTER)
                .convertToBytes(new AttestationObject(data, new NoneAttestationStatement()));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", base64Url(clientData));
        response.put("attestationObject", base64Url(attestationObject));
        response.put("transports", List.of("internal", "hybrid"));
        return credential(response);
    }

    /** An AuthenticationResponseJSON answering a sign-in challenge; the counter goes up by one first. */
    public Map<String, Object> signIn(String challenge) {
        signCount++;
        return assertion(challenge);
    }

    /** An AuthenticationResponseJSON with the counter as it is now (set it to make it go backwards). */
    public Map<String, Object> assertion(String challenge) {
        byte[] clientData = clientData("webauthn.get", challenge);
        byte[] authenticatorData = new AuthenticatorDataConverter(CONVERTER).convert(new AuthenticatorData<>(
                sha256(rpId.getBytes(StandardCharsets.UTF_8)), flags(), signCount));
        byte[] signature;
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(signingKey.getPrivate());
            signer.update(authenticatorData);
            signer.update(sha256(clientData));
            signature = signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", base64Url(clientData));
        response.put("authenticatorData", base64Url(authenticatorData));
        response.put("signature", base64Url(signature));
        response.put("userHandle", userHandle);
        return credential(response);
    }

    public static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> credential(Map<String, Object> response) {
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("id", credentialId());
        credential.put("rawId", credentialId());
        credential.put("type", "public-key");
        credential.put("response", response);
        credential.put("clientExtensionResults", Map.of());
        credential.put("authenticatorAttachment", "platform");
        return credential;
    }

    private byte flags() {
        int flags = AuthenticatorData.BIT_UP;
        if (userVerified) {
            flags |= AuthenticatorData.BIT_UV;
        }
        if (backupEligible) {
            flags |= AuthenticatorData.BIT_BE;
        }
        if (backedUp) {
            flags |= AuthenticatorData.BIT_BS;
        }
        return (byte) flags;
    }

    private byte[] clientData(String type, String challenge) {
        String json = "{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin
                + "\",\"crossOrigin\":false}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
