package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.account.EmailChangeService;
import com.example.shop.auth.api.ApiModels.EmailChangeConfirmRequest;

/**
 * Confirming an email change with the token from the link mailed to the new address. No sign-in: the link may open
 * on another device, and the token was issued to a signed-in user who gave the password.
 */
@Path("/email-change")
public class EmailChangeResource {

    private final EmailChangeService emailChange;

    public EmailChangeResource(EmailChangeService emailChange) {
        this.emailChange = emailChange;
    }

    @POST
    @Path("confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(204)
    public void confirm(EmailChangeConfirmRequest request) {
        RequestBodies.require(request);
        emailChange.confirm(request.token());
    }
}
