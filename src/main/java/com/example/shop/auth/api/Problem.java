package com.example.shop.auth.api;

import java.util.List;

import com.example.shop.auth.account.FieldError;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem details body. Registered by hand: it reaches Jackson only through exception mappers.
 * {@code errorId} is an extension member of 500s only: a random id that the log line of the failure also carries.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors, String errorId) {

    public Problem(String type, String title, int status, String detail, List<FieldError> errors) {
        this(type, title, status, detail, errors, null);
    }

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "urn:ecommerce-auth:problem:";

    public static Problem of(String type, String title, int status, String detail) {
        return new Problem(TYPE_BASE + type, title, status, detail, null);
    }

    /** For plain HTTP errors (404, 405, 415...), where the status says it all: RFC 9457's {@code about:blank}. */
    public static Problem http(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null);
    }

    public Problem withErrorId(String id) {
        return new Problem(type, title, status, detail, errors, id);
    }

    public static Problem invalidInput(String detail, List<FieldError> errors) {
        return new Problem(TYPE_BASE + "invalid-input", "Invalid input", 400, detail, errors);
    }
}
