package com.example.shop.auth.account;

/** An email-change link was followed, but another account registered its address since the link was sent. */
public class NewEmailTakenException extends RuntimeException {

    public NewEmailTakenException() {
        super(null, null, false, false);
    }
}
