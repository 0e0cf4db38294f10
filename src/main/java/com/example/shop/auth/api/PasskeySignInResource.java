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
import com.example.shop.auth.api.ApiModels.RequestOptionsJson;
import com.example.shop.auth.passkey.PasskeyService;

/** Signing in with a passkey: no email asked, the authenticator offers the user's passkeys for this site. */
@Path("/passkeys")
public class PasskeySignInResource {

    private final PasskeyService passkeys;

    public PasskeySignInResource(PasskeyService passkeys) {
        this.passkeys = passkeys;
    }

    /** The body, if any, is ignored ({@code {}} is what the page sends). */
    @POST
    @Path("authentication-options")
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public RequestOptionsJson authenticationOptions() {
        return RequestOptionsJson.of(passkeys.authenticationOptions());
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public LoginResponse logIn(PasskeyLoginRequest request, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent) {
        RequestBodies.require(request);
        return LoginResponse.of(passkeys.signIn(RequestBodies.requireCredential(request.credential()), userAgent));
    }
}
