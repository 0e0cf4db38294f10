package com.example.shop.auth.session;

/** The request has no access token of a live session: a 401 with a Bearer challenge (RFC 6750). */
public class NotSignedInException extends RuntimeException {

    public NotSignedInException() {
        super(null, null, false, false);
    }
}
