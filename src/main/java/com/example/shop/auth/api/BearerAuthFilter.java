package com.example.shop.auth.api;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import com.example.shop.auth.session.NotSignedInException;
import com.example.shop.auth.session.SessionService;
import com.example.shop.auth.token.AccessTokenVerifier;
import com.example.shop.auth.token.AccessTokenVerifier.Bearer;
import com.example.shop.auth.user.User;

/**
 * For {@link SignedIn} resources: the request must carry {@code Authorization: Bearer <access token>} whose
 * signature and claims verify, and whose session is still live (one consistent round trip reads the session and its user), so signing out, a reset or a
 * password change takes effect at once rather than when the token expires. Anything else is a 401 (RFC 6750).
 */
@Provider
@SignedIn
@Priority(Priorities.AUTHENTICATION)
public class BearerAuthFilter implements ContainerRequestFilter {

    private static final String SCHEME = "bearer ";

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
        Optional<Bearer> bearer = header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                ? verifier.verify(header.substring(SCHEME.length()).strip())
                : Optional.empty();
        Optional<User> user = bearer.flatMap(b -> sessions.liveSessionOwner(b.userId(), b.sessionId()));
        if (user.isEmpty()) {
            throw new NotSignedInException();
        }
        current.set(user.get(), bearer.get().sessionId());
    }
}
