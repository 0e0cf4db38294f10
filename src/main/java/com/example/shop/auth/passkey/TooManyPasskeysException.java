package com.example.shop.auth.passkey;

/** The account has as many passkeys as allowed. */
public class TooManyPasskeysException extends RuntimeException {

    public TooManyPasskeysException() {
        super(null, null, false, false);
    }
}
