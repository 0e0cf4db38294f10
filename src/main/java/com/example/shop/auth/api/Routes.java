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
    static final String MY_SESSIONS = "/me/sessions";

    private static final String POST = "POST, OPTIONS";
    private static final String GET = "GET, HEAD, OPTIONS";
    private static final String DELETE = "DELETE, OPTIONS";
    private static final Map<String, String> ALLOWED_METHODS = Map.of(
            SIGNUP, POST,
            LOGIN, POST,
            WELL_KNOWN + "/" + JWKS, GET,
            WELL_KNOWN + "/" + OPENID_CONFIGURATION, GET,
            PASSWORD_RESET, POST,
            PASSWORD_RESET + "/" + CONFIRM, POST,
            TOKEN_REFRESH, POST,
            LOGOUT, POST,
            MY_SESSIONS, GET);

    private Routes() {
    }

    static Optional<String> allowedMethods(String path) {
        if (path.startsWith(MY_SESSIONS + "/") && path.indexOf('/', MY_SESSIONS.length() + 1) < 0) {
            return Optional.of(DELETE);
        }
        return Optional.ofNullable(ALLOWED_METHODS.get(path));
    }
}
