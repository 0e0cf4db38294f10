package com.example.shop.auth.account;

/** Unknown email or wrong password: deliberately one exception, so the response cannot tell them apart. */
public class InvalidCredentialsException extends RuntimeException {
    public InvalidCredentialsException() {
        super("invalid credentials", null, false, false);
    }
}
