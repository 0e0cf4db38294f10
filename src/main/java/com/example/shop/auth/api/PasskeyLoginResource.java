package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;

import com.example.shop.auth.api.ApiModels.LoginResponse;
import com.example.shop.auth.api.ApiModels.PasskeyLoginRequest;
import com.example.shop.auth.passkey.PasskeyService;

/** Signing in with a passkey: the authenticator's signed answer to a challenge starts a session. */
@Path("/passkeys/login")
public class PasskeyLoginResource {

    private final PasskeyService passkeys;

    public PasskeyLoginResource(PasskeyService passkeys) {
        this.passkeys = passkeys;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public LoginResponse logIn(PasskeyLoginRequest request, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent) {
        RequestBodies.require(request);
        return LoginResponse.of(passkeys.signIn(RequestBodies.requireCredential(request.credential()), userAgent));
    }
}
