package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.api.ApiModels.RefreshRequest;
import com.example.shop.auth.session.SessionService;

@Path("/logout")
public class LogoutResource {

    private final SessionService sessions;

    public LogoutResource(SessionService sessions) {
        this.sessions = sessions;
    }

    /** 204 whether or not the token was live: the answer tells nothing about tokens. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(204)
    public void logout(RefreshRequest request) {
        sessions.logout(RequestBodies.requireRefreshToken(request));
    }
}
