package com.example.shop.auth.api;

import java.util.ArrayList;
import java.util.List;

import com.example.shop.auth.account.FieldError;
import com.example.shop.auth.account.InvalidInputException;
import com.example.shop.auth.mfa.Totp;
import com.fasterxml.jackson.databind.JsonNode;

final class RequestBodies {

    private static final int MAX_RECOVERY_CODE_LENGTH = 40;

    private RequestBodies() {
    }

    /** An empty body or a JSON {@code null} reaches a resource as null. */
    static void require(Object body) {
        if (body == null) {
            throw new InvalidInputException("body", "A JSON object is required.");
        }
    }

    /** Pairs of field name and value; each must be present and non-empty. */
    static void requireFields(String... namesAndValues) {
        List<FieldError> missing = new ArrayList<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] == null || namesAndValues[i + 1].isEmpty()) {
                missing.add(new FieldError(namesAndValues[i], "This field is required."));
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException(missing);
        }
    }

    /**
     * Exactly one of a TOTP code (six digits) and a recovery code (1-40 characters; whether it is one of the
     * account's is the service's to say). Refused before anything is looked up, so malformed input is a 400 whatever
     * state the account is in.
     */
    static void requireCodeOrRecoveryCode(String code, String recoveryCode) {
        if ((code == null) == (recoveryCode == null)) {
            throw new InvalidInputException("code", "Give either a code or a recoveryCode.");
        }
        if (code != null && !Totp.looksLikeCode(code)) {
            throw new InvalidInputException("code", "A code is the 6 digits the authenticator app shows.");
        }
        if (recoveryCode != null && (recoveryCode.isEmpty() || recoveryCode.length() > MAX_RECOVERY_CODE_LENGTH)) {
            throw new InvalidInputException("recoveryCode", "A recovery code looks like ABCD-EFGH-IJKL-MNOP.");
        }
    }

    /** A WebAuthn response as JSON text; the body must hold it as an object (what {@code toJSON()} gives). */
    static String requireCredential(JsonNode credential) {
        if (credential == null || !credential.isObject()) {
            throw new InvalidInputException("credential",
                    "Send the credential as PublicKeyCredential.toJSON() gives it (a JSON object).");
        }
        return credential.toString();
    }

    static String requireRefreshToken(ApiModels.RefreshRequest body) {
        require(body);
        if (body.refreshToken() == null || body.refreshToken().isBlank()) {
            throw new InvalidInputException("refreshToken", "A refresh token is required.");
        }
        return body.refreshToken();
    }
}
