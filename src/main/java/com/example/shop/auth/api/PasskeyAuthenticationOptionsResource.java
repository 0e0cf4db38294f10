package com.example.shop.auth.api;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;

import com.example.shop.auth.api.ApiModels.RequestOptionsJson;
import com.example.shop.auth.passkey.PasskeyService;

/**
 * The first step of a passkey sign-in: a challenge, with no email asked (the authenticator offers the user's passkeys
 * for this site). The second is {@link PasskeyLoginResource}.
 */
@Path("/passkeys/authentication-options")
public class PasskeyAuthenticationOptionsResource {

    private final PasskeyService passkeys;

    public PasskeyAuthenticationOptionsResource(PasskeyService passkeys) {
        this.passkeys = passkeys;
    }

    /** The body, if any, is ignored ({@code {}} is what the page sends). */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public RequestOptionsJson authenticationOptions() {
        return RequestOptionsJson.of(passkeys.authenticationOptions());
    }
}
