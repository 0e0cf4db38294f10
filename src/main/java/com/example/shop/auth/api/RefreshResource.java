package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;

import com.example.shop.auth.api.ApiModels.LoginResponse;
import com.example.shop.auth.api.ApiModels.RefreshRequest;
import com.example.shop.auth.session.SessionService;

@Path("/token/refresh")
public class RefreshResource {

    private final SessionService sessions;

    public RefreshResource(SessionService sessions) {
        this.sessions = sessions;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public LoginResponse refresh(RefreshRequest request) {
        return LoginResponse.of(sessions.refresh(RequestBodies.requireRefreshToken(request)));
    }
}
