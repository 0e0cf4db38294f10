package com.example.shop.auth.api;

import com.example.shop.auth.account.InvalidInputException;

final class RequestBodies {

    private RequestBodies() {
    }

    /** An empty body or a JSON {@code null} reaches a resource as null. */
    static void require(Object body) {
        if (body == null) {
            throw new InvalidInputException("body", "A JSON object is required.");
        }
    }

    static String requireRefreshToken(ApiModels.RefreshRequest body) {
        require(body);
        if (body.refreshToken() == null || body.refreshToken().isBlank()) {
            throw new InvalidInputException("refreshToken", "A refresh token is required.");
        }
        return body.refreshToken();
    }
}
