package com.example.shop.auth.account;

public class EmailTakenException extends RuntimeException {
    public EmailTakenException() {
        super("email already registered", null, false, false);
    }
}
