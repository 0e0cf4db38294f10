package com.example.shop.auth.api;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;

import com.example.shop.auth.api.ApiModels.CreationOptionsJson;
import com.example.shop.auth.passkey.PasskeyService;

/** Options to create a passkey for the signed-in user, in the JSON form the browser parses. */
@Path("/me/passkeys/registration-options")
@SignedIn
public class MyPasskeyRegistrationOptionsResource {

    private final PasskeyService passkeys;
    private final CurrentSession current;

    public MyPasskeyRegistrationOptionsResource(PasskeyService passkeys, CurrentSession current) {
        this.passkeys = passkeys;
        this.current = current;
    }

    /** The body, if any, is ignored ({@code {}} is what the page sends). */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public CreationOptionsJson registrationOptions() {
        return CreationOptionsJson.of(passkeys.registrationOptions(current.userId()));
    }
}
