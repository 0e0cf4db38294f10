package com.example.shop.auth.admin;

/** An operator asked for a reset email for a disabled account: enable it first. */
public class AccountDisabledForResetException extends RuntimeException {

    public AccountDisabledForResetException() {
        super("account disabled", null, false, false);
    }
}
