package com.example.shop.auth.account;

/**
 * The second step of a sign-in failed: unknown, used or expired mfa token, wrong code or recovery code, or an
 * account that is locked or disabled meanwhile. One exception, so the response tells none of them apart.
 */
public class InvalidSecondFactorException extends RuntimeException {

    public InvalidSecondFactorException() {
        super(null, null, false, false);
    }
}
