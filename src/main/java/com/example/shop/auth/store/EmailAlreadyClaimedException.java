package com.example.shop.auth.store;

public class EmailAlreadyClaimedException extends RuntimeException {
    public EmailAlreadyClaimedException() {
        super("email already claimed", null, false, false);
    }
}
