package com.example.shop.auth.api;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import com.example.shop.auth.session.SessionService;
import com.example.shop.auth.token.AccessTokenVerifier;
import com.example.shop.auth.token.AccessTokenVerifier.Bearer;

/**
 * For {@link SignedIn} resources: the request must carry {@code Authorization: Bearer <access token>} whose
 * signature and claims verify, and whose session is still live (one consistent read), so signing out, a reset or a
 * password change takes effect at once rather than when the token expires. Anything else is a 401 (RFC 6750).
 */
@Provider
@SignedIn
@Priority(Priorities.AUTHENTICATION)
public class BearerAuthFilter implements ContainerRequestFilter {

    private static final String SCHEME = "bearer ";
    private static final String CHALLENGE = "Bearer error=\"invalid_token\"";

    private final AccessTokenVerifier verifier;
    private final SessionService sessions;
    private final CurrentSession current;

    public BearerAuthFilter(AccessTokenVerifier verifier, SessionService sessions, CurrentSession current) {
        this.verifier = verifier;
        this.sessions = sessions;
        this.current = current;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            request.abortWith(unauthorized("This route needs an access token: log in first."));
            return;
        }
        Optional<Bearer> bearer = header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                ? verifier.verify(header.substring(SCHEME.length()).strip())
                : Optional.empty();
        if (bearer.isEmpty() || sessions.liveSession(bearer.get().userId(), bearer.get().sessionId()).isEmpty()) {
            request.abortWith(unauthorized(
                    "The access token is invalid, expired or its session has ended. Refresh it or log in again."));
            return;
        }
        current.set(bearer.get().userId(), bearer.get().sessionId());
    }

    /**
     * The challenge is the same with or without a token (DESIGN.md §3), though RFC 6750 §3.1 would leave out the
     * error code when none was sent: clients need only one rule.
     */
    private static Response unauthorized(String detail) {
        return Response.status(401)
                .type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                .header("Cache-Control", "no-store")
                .entity(Problem.of("unauthorized", "Unauthorized", 401, detail))
                .build();
    }
}
