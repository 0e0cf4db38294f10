package com.example.shop.auth.account;

/** Unknown, used, replaced, expired or raced email-change link: one answer for all. */
public class InvalidEmailChangeTokenException extends RuntimeException {

    public InvalidEmailChangeTokenException() {
        super(null, null, false, false);
    }
}
