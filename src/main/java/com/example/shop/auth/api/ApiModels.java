package com.example.shop.auth.api;

/** Request and response bodies of the API (DESIGN.md §3). */
public final class ApiModels {

    private ApiModels() {
    }

    public record SignupRequest(String email, String password, String name) {
    }

    public record SignupResponse(String userId, String email, String name, String createdAt) {
    }

    public record LoginRequest(String email, String password) {
    }

    public record LoginResponse(String accessToken, String tokenType, long expiresIn) {
    }

    public record ResetRequest(String email) {
    }

    public record ResetConfirmRequest(String token, String newPassword) {
    }
}
