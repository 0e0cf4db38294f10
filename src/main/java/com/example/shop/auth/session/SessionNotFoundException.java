package com.example.shop.auth.session;

/** The user has no live session with that id. */
public class SessionNotFoundException extends RuntimeException {

    public SessionNotFoundException() {
        super(null, null, false, false);
    }
}
