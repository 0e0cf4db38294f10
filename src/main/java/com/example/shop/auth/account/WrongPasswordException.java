package com.example.shop.auth.account;

/** The signed-in user's current password was wrong (changing the password, deleting the account). */
public class WrongPasswordException extends RuntimeException {

    public WrongPasswordException() {
        super(null, null, false, false);
    }
}
