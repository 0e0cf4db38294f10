package com.example.shop.auth.api;

/** An admin request whose event names no IAM caller. */
public class AdminCallerRequiredException extends RuntimeException {

    public AdminCallerRequiredException() {
        super("no IAM caller", null, false, false);
    }
}
