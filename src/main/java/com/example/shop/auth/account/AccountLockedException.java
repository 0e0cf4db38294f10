package com.example.shop.auth.account;

import java.time.Duration;

public class AccountLockedException extends RuntimeException {
    private final Duration retryAfter;

    public AccountLockedException(Duration retryAfter) {
        super("account locked", null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
