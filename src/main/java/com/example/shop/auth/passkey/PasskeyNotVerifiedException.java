package com.example.shop.auth.passkey;

/** A passkey offered for registration could not be verified, or its registration challenge was used, expired or not this user's. */
public class PasskeyNotVerifiedException extends RuntimeException {

    public PasskeyNotVerifiedException() {
        super(null, null, false, false);
    }
}
