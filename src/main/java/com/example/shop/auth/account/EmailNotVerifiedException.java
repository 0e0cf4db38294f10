package com.example.shop.auth.account;

/** The password was right, but the account's email must be verified first (a fresh link was sent). */
public class EmailNotVerifiedException extends RuntimeException {

    public EmailNotVerifiedException() {
        super(null, null, false, false);
    }
}
