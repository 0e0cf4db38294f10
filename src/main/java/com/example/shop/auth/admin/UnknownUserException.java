package com.example.shop.auth.admin;

/** No account has that id. */
public class UnknownUserException extends RuntimeException {

    public UnknownUserException() {
        super("unknown user", null, false, false);
    }
}
