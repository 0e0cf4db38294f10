package com.example.shop.auth.account;

/** Unknown, used, replaced or expired verification link: one answer for all. */
public class InvalidVerificationTokenException extends RuntimeException {

    public InvalidVerificationTokenException() {
        super(null, null, false, false);
    }
}
