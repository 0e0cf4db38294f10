package com.example.shop.auth.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;

import com.example.shop.auth.api.ApiModels.SessionList;
import com.example.shop.auth.api.ApiModels.SessionView;
import com.example.shop.auth.session.SessionService;

/** Where the signed-in user is signed in. */
@Path("/me/sessions")
@SignedIn
public class MySessionsResource {

    private final SessionService sessions;
    private final CurrentSession current;

    public MySessionsResource(SessionService sessions, CurrentSession current) {
        this.sessions = sessions;
        this.current = current;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public SessionList list() {
        String currentId = current.sessionId();
        return new SessionList(sessions.liveSessions(current.userId()).stream()
                .map(s -> new SessionView(s.sessionId(), s.createdAt().toString(), s.lastUsedAt().toString(),
                        s.userAgent(), s.sessionId().equals(currentId)))
                .toList());
    }
}
