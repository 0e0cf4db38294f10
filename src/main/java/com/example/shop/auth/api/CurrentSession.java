package com.example.shop.auth.api;

import jakarta.enterprise.context.RequestScoped;

/** The user and session of the request's verified access token; set by {@link BearerAuthFilter}. */
@RequestScoped
public class CurrentSession {

    private String userId;
    private String sessionId;

    void set(String userId, String sessionId) {
        this.userId = userId;
        this.sessionId = sessionId;
    }

    public String userId() {
        return require(userId);
    }

    public String sessionId() {
        return require(sessionId);
    }

    private static String require(String value) {
        if (value == null) {
            throw new IllegalStateException("no verified session: the resource lacks @SignedIn");
        }
        return value;
    }
}
