package com.example.shop.auth.api;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.session.SessionService;

/**
 * Signing one of the user's sessions out (a lost phone, a shared computer). A class of its own because Quarkus REST
 * answers OPTIONS with the methods of the whole class: here, only DELETE.
 */
@Path("/me/sessions/{sessionId}")
@SignedIn
public class MySessionResource {

    private final SessionService sessions;
    private final CurrentSession current;

    public MySessionResource(SessionService sessions, CurrentSession current) {
        this.sessions = sessions;
        this.current = current;
    }

    @DELETE
    @ResponseStatus(204)
    public void end(@PathParam("sessionId") String sessionId) {
        sessions.endSession(current.userId(), sessionId);
    }
}
