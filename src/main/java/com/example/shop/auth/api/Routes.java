package com.example.shop.auth.api;

import java.util.Map;
import java.util.Optional;

/**
 * The API's paths and the methods each accepts. Quarkus REST sends its 405 without the {@code Allow} header that
 * RFC 9110 requires, so the problem mapper takes it from here.
 */
final class Routes {

    static final String SIGNUP = "/signup";
    static final String LOGIN = "/login";
    static final String WELL_KNOWN = "/.well-known";
    static final String JWKS = "jwks.json";
    static final String OPENID_CONFIGURATION = "openid-configuration";
    static final String PASSWORD_RESET = "/password-reset";
    static final String CONFIRM = "confirm";
    static final String TOKEN_REFRESH = "/token/refresh";
    static final String LOGOUT = "/logout";
    static final String ME = "/me";
    static final String PASSWORD = "password";
    static final String MY_SESSIONS = "/me/sessions";
    static final String EMAIL_VERIFICATION = "/email-verification";

    private static final String POST = "POST, OPTIONS";
    private static final String GET = "GET, HEAD, OPTIONS";
    private static final String DELETE = "DELETE, OPTIONS";
    private static final Map<String, String> ALLOWED_METHODS = Map.ofEntries(
            Map.entry(SIGNUP, POST),
            Map.entry(LOGIN, POST),
            Map.entry(WELL_KNOWN + "/" + JWKS, GET),
            Map.entry(WELL_KNOWN + "/" + OPENID_CONFIGURATION, GET),
            Map.entry(PASSWORD_RESET, POST),
            Map.entry(PASSWORD_RESET + "/" + CONFIRM, POST),
            Map.entry(TOKEN_REFRESH, POST),
            Map.entry(LOGOUT, POST),
            Map.entry(MY_SESSIONS, GET),
            Map.entry(ME, "GET, HEAD, PATCH, DELETE, OPTIONS"),
            Map.entry(ME + "/" + PASSWORD, POST),
            Map.entry(EMAIL_VERIFICATION, POST),
            Map.entry(EMAIL_VERIFICATION + "/" + CONFIRM, POST),
            // the pages the email links open, and their assets (package pages)
            Map.entry("/reset-password", GET),
            Map.entry("/verify-email", GET),
            Map.entry("/pages/pages.js", GET),
            Map.entry("/pages/pages.css", GET));

    private Routes() {
    }

    static Optional<String> allowedMethods(String path) {
        if (path.startsWith(MY_SESSIONS + "/") && path.indexOf('/', MY_SESSIONS.length() + 1) < 0) {
            return Optional.of(DELETE);
        }
        return Optional.ofNullable(ALLOWED_METHODS.get(path));
    }
}
