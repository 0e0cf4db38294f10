package com.example.shop.auth.account;

/** A signed-in user's TOTP code or recovery code was wrong (confirming, regenerating codes, turning TOTP off). */
public class WrongCodeException extends RuntimeException {

    public WrongCodeException() {
        super(null, null, false, false);
    }
}
