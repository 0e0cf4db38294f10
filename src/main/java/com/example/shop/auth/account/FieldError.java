package com.example.shop.auth.account;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One rule that one request field broke, in words a user can act on. Serialised inside {@code Problem}. */
@RegisterForReflection
public record FieldError(String field, String message) {
}
