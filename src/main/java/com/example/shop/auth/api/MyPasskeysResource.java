package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.api.ApiModels.PasskeyCreated;
import com.example.shop.auth.api.ApiModels.PasskeyList;
import com.example.shop.auth.api.ApiModels.PasskeyRegistrationRequest;
import com.example.shop.auth.api.ApiModels.PasskeyView;
import com.example.shop.auth.passkey.Passkey;
import com.example.shop.auth.passkey.PasskeyService;

/**
 * The signed-in user's passkeys: registering one (with options from {@link MyPasskeyRegistrationOptionsResource}) and
 * listing them. Each path has a class of its own because Quarkus REST answers OPTIONS with the methods of the whole
 * class.
 */
@Path("/me/passkeys")
@SignedIn
public class MyPasskeysResource {

    private final PasskeyService passkeys;
    private final CurrentSession current;

    public MyPasskeysResource(PasskeyService passkeys, CurrentSession current) {
        this.passkeys = passkeys;
        this.current = current;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public PasskeyCreated register(PasskeyRegistrationRequest request) {
        RequestBodies.require(request);
        Passkey passkey = passkeys.register(current.userId(), RequestBodies.requireCredential(request.credential()),
                request.nickname());
        return new PasskeyCreated(passkey.passkeyId(), passkey.nickname(), passkey.createdAt().toString());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public PasskeyList list() {
        return new PasskeyList(passkeys.list(current.userId()).stream().map(PasskeyView::of).toList());
    }
}
