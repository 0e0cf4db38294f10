package com.example.shop.auth.account;

/** The right password, for an account an operator disabled: a 403 that says so, never a session. */
public class AccountDisabledException extends RuntimeException {

    public AccountDisabledException() {
        super("account disabled", null, false, false);
    }
}
