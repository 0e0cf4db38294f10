package com.example.shop.auth.passkey;

/** A passkey sign-in failed; the client learns no more than that (the audit line says why). */
public class PasskeySignInFailedException extends RuntimeException {

    public PasskeySignInFailedException() {
        super(null, null, false, false);
    }
}
