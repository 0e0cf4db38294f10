package com.example.shop.auth.account;

import java.time.Duration;

/** A source IP spent one of its budgets: the request is refused (429) until the budget's window ends. */
public class TooManyRequestsException extends RuntimeException {

    private final Duration retryAfter;

    public TooManyRequestsException(Duration retryAfter) {
        super("budget spent", null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
