package com.example.shop.auth.account;

/** A TOTP request that does not fit the account's state (already on, not on, nothing to confirm). */
public class TotpStateException extends RuntimeException {

    private final String detail;

    public TotpStateException(String detail) {
        super(null, null, false, false);
        this.detail = detail;
    }

    /** What to tell the client: fixed text, never request content. */
    public String detail() {
        return detail;
    }
}
