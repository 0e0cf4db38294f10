package com.example.shop.auth.passkey;

/** A passkey with this credential id is registered already. */
public class PasskeyAlreadyRegisteredException extends RuntimeException {

    public PasskeyAlreadyRegisteredException() {
        super(null, null, false, false);
    }
}
