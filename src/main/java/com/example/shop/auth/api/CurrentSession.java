package com.example.shop.auth.api;

import jakarta.enterprise.context.RequestScoped;

import com.example.shop.auth.user.User;

/** The user and session of the request's verified access token; set by {@link BearerAuthFilter}. */
@RequestScoped
public class CurrentSession {

    private User user;
    private String sessionId;

    void set(User user, String sessionId) {
        this.user = user;
        this.sessionId = sessionId;
    }

    public String userId() {
        return require(user).userId();
    }

    /** The user as read with the session, at the start of this request. */
    public User user() {
        return require(user);
    }

    public String sessionId() {
        return require(sessionId);
    }

    private static <T> T require(T value) {
        if (value == null) {
            throw new IllegalStateException("no verified session: the resource lacks @SignedIn");
        }
        return value;
    }
}
