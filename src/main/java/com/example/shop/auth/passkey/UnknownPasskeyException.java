package com.example.shop.auth.passkey;

/** The account has no passkey with this id. */
public class UnknownPasskeyException extends RuntimeException {

    public UnknownPasskeyException() {
        super(null, null, false, false);
    }
}
