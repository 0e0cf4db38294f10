package com.example.shop.auth.account;

/** Unknown, used, replaced or expired reset token: one exception, so the response says no more than "invalid". */
public class InvalidResetTokenException extends RuntimeException {
    public InvalidResetTokenException() {
        super("invalid reset token", null, false, false);
    }
}
