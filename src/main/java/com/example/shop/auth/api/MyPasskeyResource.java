package com.example.shop.auth.api;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.passkey.PasskeyService;

/** Deleting one of the signed-in user's passkeys: it signs in no more. */
@Path("/me/passkeys/{passkeyId}")
@SignedIn
public class MyPasskeyResource {

    private final PasskeyService passkeys;
    private final CurrentSession current;

    public MyPasskeyResource(PasskeyService passkeys, CurrentSession current) {
        this.passkeys = passkeys;
        this.current = current;
    }

    @DELETE
    @ResponseStatus(204)
    public void delete(@PathParam("passkeyId") String passkeyId) {
        passkeys.delete(current.userId(), passkeyId);
    }
}
