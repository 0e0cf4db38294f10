package com.example.shop.auth;

/**
 * A storage operation lost every one of its attempts to races with other writes of the same items, or DynamoDB kept
 * keys of a batch read unprocessed: nothing was written, and the client may simply try again (a 503 with
 * Retry-After, never a 500).
 */
public class BusyException extends RuntimeException {

    public BusyException(String operation, int attempts) {
        super(operation + " gave up after " + attempts + " attempts");
    }
}
