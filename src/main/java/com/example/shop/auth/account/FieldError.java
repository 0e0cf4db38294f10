package com.example.shop.auth.account;

/** One rule that one request field broke, in words a user can act on. */
public record FieldError(String field, String message) {
}
