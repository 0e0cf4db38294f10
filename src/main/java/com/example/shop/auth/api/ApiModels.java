package com.example.shop.auth.api;

import java.util.List;

import com.example.shop.auth.admin.AdminService;
import com.example.shop.auth.passkey.CreationOptions;
import com.example.shop.auth.passkey.Passkey;
import com.example.shop.auth.passkey.RequestOptions;
import com.example.shop.auth.session.SessionService;
import com.example.shop.auth.user.User;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Request and response bodies of the API. */
public final class ApiModels {

    private ApiModels() {
    }

    public record SignupRequest(String email, String password, String name) {
    }

    public record SignupResponse(String userId, String email, String name, String createdAt) {
    }

    /** {@code deviceToken}: optional, the one the client kept from its last login to this account. */
    public record LoginRequest(String email, String password, String deviceToken) {
    }

    /**
     * What login and refresh return: a short-lived access token and the session's next refresh token; login also
     * returns the device token the client keeps for its next login ({@code deviceToken}, absent from refresh).
     */
    public record LoginResponse(String accessToken, String tokenType, long expiresIn, String refreshToken,
            long refreshExpiresIn, @JsonInclude(JsonInclude.Include.NON_NULL) String deviceToken) {

        static LoginResponse of(SessionService.SignedIn signedIn) {
            return of(signedIn, null);
        }

        static LoginResponse of(SessionService.SignedIn signedIn, String deviceToken) {
            return new LoginResponse(signedIn.accessToken().value(), "Bearer", signedIn.accessToken().expiresInSeconds(),
                    signedIn.refreshToken(), signedIn.refreshExpiresInSeconds(), deviceToken);
        }
    }

    /**
     * What a right password gets when the account has TOTP on: no tokens yet, a token for the second step. Registered
     * for reflection itself: the login route's declared return type cannot name both of its bodies.
     */
    @RegisterForReflection
    public record MfaChallenge(boolean mfaRequired, String mfaToken, long mfaExpiresIn) {
    }

    /** The second step of a sign-in: the mfa token with a TOTP code or (instead) a recovery code. */
    public record MfaLoginRequest(String mfaToken, String code, String recoveryCode) {
    }

    public record TotpEnrolmentRequest(String password) {
    }

    /** A new TOTP secret (base32) and its otpauth URI: shown once, at enrolment. */
    public record TotpEnrolment(String secret, String otpauthUri) {
    }

    public record TotpConfirmRequest(String code) {
    }

    public record RecoveryCodesRequest(String password, String code) {
    }

    /** Recovery codes: shown once, when they are made. */
    public record RecoveryCodeList(List<String> recoveryCodes) {
    }

    /** Turning TOTP off: the password, and a TOTP code or (instead) a recovery code. */
    public record TotpRemoval(String password, String code, String recoveryCode) {
    }

    public record RefreshRequest(String refreshToken) {
    }

    public record SessionView(String sessionId, String createdAt, String lastUsedAt, String userAgent,
            boolean current) {
    }

    public record SessionList(List<SessionView> sessions) {
    }

    public record Profile(String userId, String email, String name, boolean emailVerified, String createdAt,
            String updatedAt, MfaSummary mfa) {

        static Profile of(User user) {
            return new Profile(user.userId(), user.email(), user.name(), user.emailVerified(),
                    user.createdAt().toString(), user.updatedAt().toString(), MfaSummary.of(user));
        }
    }

    public record ProfileChange(String name) {
    }

    public record PasswordChange(String currentPassword, String newPassword) {
    }

    public record AccountDeletion(String password) {
    }

    public record EmailChangeRequest(String newEmail, String password) {
    }

    public record EmailChangeConfirmRequest(String token) {
    }

    public record VerificationRequest(String email) {
    }

    public record VerificationConfirmRequest(String token) {
    }

    public record ResetRequest(String email) {
    }

    public record ResetConfirmRequest(String token, String newPassword) {
    }

    public record DisableRequest(String reason) {
    }

    /** What second factors an account has: whether TOTP is on, and how many passkeys it has. */
    public record MfaSummary(boolean totp, int passkeys) {

        static MfaSummary of(User user) {
            return new MfaSummary(user.totpEnabled(), user.passkeys());
        }
    }

    /** An account as the admin API shows it: never a hash, a secret, a token or a version number. */
    public record UserSummary(String userId, String email, String name, boolean emailVerified, String createdAt,
            String updatedAt, boolean disabled, String disabledReason, String lockedUntil, int failedLogins,
            int sessions, MfaSummary mfa) {

        static UserSummary of(AdminService.Account account) {
            User user = account.user();
            return new UserSummary(user.userId(), user.email(), user.name(), user.emailVerified(),
                    user.createdAt().toString(), user.updatedAt().toString(), user.disabled(),
                    user.disabledReason().orElse(null), user.lockedUntil().map(Object::toString).orElse(null),
                    user.failedLogins(), account.sessions(), MfaSummary.of(user));
        }
    }

    public record UserList(List<UserSummary> users, String nextCursor) {
    }

    // passkeys: the JSON forms of WebAuthn Level 3 (what PublicKeyCredential.parseCreationOptionsFromJSON,
    // parseRequestOptionsFromJSON and toJSON() take and give)

    public record RelyingPartyEntity(String id, String name) {
    }

    public record UserEntity(String id, String name, String displayName) {
    }

    public record CredentialParameters(String type, long alg) {
    }

    public record CredentialDescriptor(String type, String id,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> transports) {

        static CredentialDescriptor of(Passkey passkey) {
            return new CredentialDescriptor(PUBLIC_KEY, passkey.passkeyId(), passkey.transports().stream().sorted()
                    .toList());
        }
    }

    public record AuthenticatorSelection(String residentKey, boolean requireResidentKey, String userVerification) {
    }

    /** PublicKeyCredentialCreationOptionsJSON: discoverable, user-verifying passkeys, no attestation asked. */
    public record CreationOptionsJson(RelyingPartyEntity rp, UserEntity user, String challenge,
            List<CredentialParameters> pubKeyCredParams, long timeout, List<CredentialDescriptor> excludeCredentials,
            AuthenticatorSelection authenticatorSelection, String attestation) {

        static CreationOptionsJson of(CreationOptions options) {
            return new CreationOptionsJson(new RelyingPartyEntity(options.rpId(), options.rpName()),
                    new UserEntity(options.userHandle(), options.userName(), options.userDisplayName()),
                    options.challenge(),
                    options.algorithms().stream().map(alg -> new CredentialParameters(PUBLIC_KEY, alg)).toList(),
                    options.timeoutMillis(),
                    options.existing().stream().map(CredentialDescriptor::of).toList(),
                    new AuthenticatorSelection("required", true, "required"), "none");
        }
    }

    /** PublicKeyCredentialRequestOptionsJSON for a discoverable passkey: no credentials listed, no email asked. */
    public record RequestOptionsJson(String challenge, String rpId, long timeout, String userVerification,
            List<CredentialDescriptor> allowCredentials) {

        static RequestOptionsJson of(RequestOptions options) {
            return new RequestOptionsJson(options.challenge(), options.rpId(), options.timeoutMillis(), "required",
                    List.of());
        }
    }

    /** {@code credential}: the RegistrationResponseJSON (PublicKeyCredential.toJSON()); {@code nickname}: optional. */
    public record PasskeyRegistrationRequest(JsonNode credential, String nickname) {
    }

    /** {@code credential}: the AuthenticationResponseJSON (PublicKeyCredential.toJSON()). */
    public record PasskeyLoginRequest(JsonNode credential) {
    }

    public record PasskeyCreated(String passkeyId, String nickname, String createdAt) {
    }

    public record PasskeyView(String passkeyId, String nickname, String createdAt, String lastUsedAt,
            boolean backedUp) {

        static PasskeyView of(Passkey passkey) {
            return new PasskeyView(passkey.passkeyId(), passkey.nickname(), passkey.createdAt().toString(),
                    passkey.lastUsedAt().map(Object::toString).orElse(null), passkey.backedUp());
        }
    }

    public record PasskeyList(List<PasskeyView> passkeys) {
    }

    private static final String PUBLIC_KEY = "public-key";
}
