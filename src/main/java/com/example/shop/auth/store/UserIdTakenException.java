package com.example.shop.auth.store;

/** A user with the given id exists already (only an import chooses ids; signup's are random UUIDs). */
public class UserIdTakenException extends RuntimeException {
}
