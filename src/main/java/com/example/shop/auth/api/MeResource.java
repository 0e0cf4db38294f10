package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.account.AccountService;
import com.example.shop.auth.api.ApiModels.AccountDeletion;
import com.example.shop.auth.api.ApiModels.Profile;
import com.example.shop.auth.api.ApiModels.ProfileChange;

/** The signed-in user's own account. */
@Path("/me")
@SignedIn
public class MeResource {

    private final AccountService account;
    private final CurrentSession current;

    public MeResource(AccountService account, CurrentSession current) {
        this.account = account;
        this.current = current;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public Profile profile() {
        return Profile.of(current.user());
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public Profile update(ProfileChange change) {
        RequestBodies.require(change);
        return Profile.of(account.rename(current.userId(), change.name()));
    }

    @DELETE
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(204)
    public void delete(AccountDeletion deletion) {
        RequestBodies.require(deletion);
        RequestBodies.requireFields("password", deletion.password());
        account.delete(current.userId(), deletion.password());
    }
}
