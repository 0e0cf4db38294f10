package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.account.AccountService;
import com.example.shop.auth.api.ApiModels.PasswordChange;

/** Changing the signed-in user's password: every other session ends. */
@Path("/me/password")
@SignedIn
public class MyPasswordResource {

    private final AccountService account;
    private final CurrentSession current;

    public MyPasswordResource(AccountService account, CurrentSession current) {
        this.account = account;
        this.current = current;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(204)
    public void changePassword(PasswordChange change) {
        RequestBodies.require(change);
        RequestBodies.requireFields("currentPassword", change.currentPassword(), "newPassword", change.newPassword());
        account.changePassword(current.userId(), current.sessionId(), change.currentPassword(), change.newPassword());
    }
}
