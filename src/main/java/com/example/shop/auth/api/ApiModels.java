package com.example.shop.auth.api;

import java.util.List;

import com.example.shop.auth.session.SessionService;
import com.example.shop.auth.user.User;

/** Request and response bodies of the API. */
public final class ApiModels {

    private ApiModels() {
    }

    public record SignupRequest(String email, String password, String name) {
    }

    public record SignupResponse(String userId, String email, String name, String createdAt) {
    }

    public record LoginRequest(String email, String password) {
    }

    /** What login and refresh return: a short-lived access token and the session's next refresh token. */
    public record LoginResponse(String accessToken, String tokenType, long expiresIn, String refreshToken,
            long refreshExpiresIn) {

        static LoginResponse of(SessionService.SignedIn signedIn) {
            return new LoginResponse(signedIn.accessToken().value(), "Bearer", signedIn.accessToken().expiresInSeconds(),
                    signedIn.refreshToken(), signedIn.refreshExpiresInSeconds());
        }
    }

    public record RefreshRequest(String refreshToken) {
    }

    public record SessionView(String sessionId, String createdAt, String lastUsedAt, String userAgent,
            boolean current) {
    }

    public record SessionList(List<SessionView> sessions) {
    }

    public record Profile(String userId, String email, String name, boolean emailVerified, String createdAt,
            String updatedAt) {

        static Profile of(User user) {
            return new Profile(user.userId(), user.email(), user.name(), user.emailVerified(),
                    user.createdAt().toString(), user.updatedAt().toString());
        }
    }

    public record ProfileChange(String name) {
    }

    public record PasswordChange(String currentPassword, String newPassword) {
    }

    public record AccountDeletion(String password) {
    }

    public record VerificationRequest(String email) {
    }

    public record VerificationConfirmRequest(String token) {
    }

    public record ResetRequest(String email) {
    }

    public record ResetConfirmRequest(String token, String newPassword) {
    }
}
