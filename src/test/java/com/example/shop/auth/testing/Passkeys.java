package com.example.shop.auth.testing;

import java.util.Map;

import io.restassured.response.Response;

/** Passkeys as a browser's page uses them, with a {@link SoftwareAuthenticator} in place of the browser's. */
public final class Passkeys {

    private Passkeys() {
    }

    public static Response registrationOptions(String accessToken) {
        return Api.signedIn("POST", "/me/passkeys/registration-options", accessToken, Map.of());
    }

    public static Response register(String accessToken, Map<String, Object> credential, String nickname) {
        return Api.signedIn("POST", "/me/passkeys", accessToken, Map.of("credential", credential, "nickname", nickname));
    }

    /** Registers a new software passkey for the signed-in user and returns it. */
    public static SoftwareAuthenticator registered(String accessToken) {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        Response options = registrationOptions(accessToken).then().statusCode(200).extract().response();
        register(accessToken, authenticator.register(options.path("challenge"), options.path("user.id")), "Laptop")
                .then().statusCode(201);
        return authenticator;
    }

    public static String signInChallenge() {
        return Api.post("/passkeys/authentication-options", Map.of()).then().statusCode(200).extract().path("challenge");
    }

    public static Response logIn(Map<String, Object> credential) {
        return Api.post("/passkeys/login", Map.of("credential", credential));
    }

    /** A sign-in with a fresh challenge. */
    public static Response signIn(SoftwareAuthenticator authenticator) {
        return logIn(authenticator.signIn(signInChallenge()));
    }
}
