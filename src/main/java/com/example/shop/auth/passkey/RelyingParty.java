package com.example.shop.auth.passkey;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.store.PasskeyRecord;
import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.exception.DataConversionException;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorAssertionResponse;
import com.webauthn4j.data.AuthenticatorAttestationResponse;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredential;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.authenticator.EdDSACOSEKey;
import com.webauthn4j.data.attestation.authenticator.RSACOSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.CollectedClientData;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.VerificationException;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * This service as a WebAuthn relying party: parses the JSON forms of registration and authentication responses and
 * verifies them with webauthn4j (origin, rp id, challenge, user presence and verification, signature, counter). The
 * webauthn4j manager is made at the first passkey request, so a function that never sees one never pays for it.
 * Attestation is not verified: "none" is what is asked for, and any other statement is accepted unchecked.
 * <p>
 * webauthn4j reads the JSON and CBOR forms with Jackson: the native image needs its data classes for reflection,
 * the same roots Quarkus's own WebAuthn extension registers, with the COSE key types this class reads itself.
 */
@ApplicationScoped
@RegisterForReflection(targets = { PublicKeyCredential.class, AuthenticatorAttestationResponse.class,
        AuthenticatorAssertionResponse.class, AttestationObject.class, CollectedClientData.class, EC2COSEKey.class,
        RSACOSEKey.class, EdDSACOSEKey.class }, registerFullHierarchy = true)
class RelyingParty {

    /** ES256 first, then RS256 (Windows Hello): what the creation options offer and registration accepts. */
    static final long[] ALGORITHMS = { -7, -257 };

    private final AuthConfig.Webauthn config;
    private volatile Verifier verifier;

    RelyingParty(AuthConfig config) {
        this.config = config.webauthn();
    }

    String id() {
        return config.rpId();
    }

    String name() {
        return config.rpName();
    }

    /** A registration response as verified: the challenge it answered, and the passkey it creates. */
    record VerifiedRegistration(String challenge, String credentialId, byte[] publicKey, long signCount,
            boolean backupEligible, boolean backedUp, Set<String> transports, String aaguid) {
    }

    /** An authentication response as parsed, before its passkey is known. */
    record Assertion(String challenge, String credentialId, String userHandle, AuthenticationData data) {
    }

    /** What a verified assertion says of its authenticator. */
    record VerifiedAssertion(long signCount, boolean backupEligible, boolean backedUp, boolean userVerified) {
    }

    /** The signature counter is not above the stored one: the credential may have been cloned. */
    static final class CounterWentBackwards extends Exception {
        CounterWentBackwards() {
            super(null, null, false, false);
        }
    }

    /** Verifies a RegistrationResponseJSON; the caller must then consume the challenge it answered. */
    VerifiedRegistration verifyRegistration(String responseJson) {
        Verifier v = verifier();
        RegistrationData data;
        try {
            data = v.manager.parseRegistrationResponseJSON(responseJson);
            String challenge = base64Url(data.getCollectedClientData().getChallenge().getValue());
            v.manager.verify(data, new RegistrationParameters(serverProperty(challenge), v.algorithms, true, true));
            AuthenticatorData<?> authenticator = data.getAttestationObject().getAuthenticatorData();
            AttestedCredentialData credential = authenticator.getAttestedCredentialData();
            Set<String> transports = data.getTransports() == null ? Set.of()
                    : data.getTransports().stream().map(AuthenticatorTransport::getValue).collect(Collectors.toSet());
            return new VerifiedRegistration(challenge, base64Url(credential.getCredentialId()),
                    v.converter.getCborConverter().writeValueAsBytes(credential.getCOSEKey()),
                    authenticator.getSignCount(), authenticator.isFlagBE(), authenticator.isFlagBS(), transports,
                    credential.getAaguid().toString());
        } catch (DataConversionException | VerificationException | IllegalArgumentException | NullPointerException
                | ClassCastException e) {
            throw new PasskeyNotVerifiedException();
        }
    }

    /** Parses an AuthenticationResponseJSON; empty-handed (an exception) for anything that is not one. */
    Assertion parseAssertion(String responseJson) {
        try {
            AuthenticationData data = verifier().manager.parseAuthenticationResponseJSON(responseJson);
            if (data.getUserHandle() == null || data.getCredentialId() == null || data.getCollectedClientData() == null) {
                throw new PasskeySignInFailedException();
            }
            return new Assertion(base64Url(data.getCollectedClientData().getChallenge().getValue()),
                    base64Url(data.getCredentialId()), new String(data.getUserHandle(), StandardCharsets.UTF_8), data);
        } catch (DataConversionException | IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw new PasskeySignInFailedException();
        }
    }

    /** Verifies a parsed assertion against the stored passkey; throws when it fails, or when the counter went back. */
    VerifiedAssertion verifyAssertion(Assertion assertion, PasskeyRecord passkey) throws CounterWentBackwards {
        Verifier v = verifier();
        try {
            COSEKey key = v.converter.getCborConverter().readValue(passkey.publicKey(), COSEKey.class);
            AttestedCredentialData credential = new AttestedCredentialData(new AAGUID(passkey.aaguid()),
                    Base64.getUrlDecoder().decode(passkey.passkeyId()), key);
            CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), true,
                    passkey.backupEligible(), passkey.backedUp(), passkey.signCount(), credential, null, null, null,
                    null);
            AuthenticationData data = v.manager.verify(assertion.data(), new AuthenticationParameters(
                    serverProperty(assertion.challenge()), record, null, true, true));
            AuthenticatorData<?> authenticator = data.getAuthenticatorData();
            return new VerifiedAssertion(authenticator.getSignCount(), authenticator.isFlagBE(),
                    authenticator.isFlagBS(), authenticator.isFlagUV());
        } catch (MaliciousCounterValueException e) {
            throw new CounterWentBackwards();
        } catch (DataConversionException | VerificationException | IllegalArgumentException | NullPointerException
                | ClassCastException e) {
            throw new PasskeySignInFailedException();
        }
    }

    private ServerProperty serverProperty(String challenge) {
        Set<Origin> origins = config.origins().stream().map(Origin::create).collect(Collectors.toSet());
        return new ServerProperty(origins, config.rpId(), new DefaultChallenge(challenge));
    }

    private Verifier verifier() {
        Verifier made = verifier;
        if (made == null) {
            synchronized (this) {
                if (verifier == null) {
                    verifier = new Verifier();
                }
                made = verifier;
            }
        }
        return made;
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** webauthn4j's manager and converter, made together at first use. */
    private static final class Verifier {
        final ObjectConverter converter = new ObjectConverter();
        final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager(converter);
        final List<PublicKeyCredentialParameters> algorithms = java.util.Arrays.stream(ALGORITHMS)
                .mapToObj(alg -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY,
                        COSEAlgorithmIdentifier.create(alg)))
                .toList();
    }
}
