package com.example.shop.auth.session;

/** Unknown, expired, ended or reused: the client hears the same in every case. */
public class InvalidRefreshTokenException extends RuntimeException {

    public InvalidRefreshTokenException() {
        super(null, null, false, false);
    }
}
