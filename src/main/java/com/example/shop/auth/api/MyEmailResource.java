package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.account.EmailChangeService;
import com.example.shop.auth.api.ApiModels.EmailChangeRequest;

/** Asking to change the signed-in user's email: a link goes to the new address. */
@Path("/me/email")
@SignedIn
public class MyEmailResource {

    /** The same body whether or not the new address belongs to an account. */
    public record Accepted(String message) {
    }

    static final Accepted ACCEPTED = new Accepted(
            "If the new address can be used for your account, a link to confirm the change is on its way to it.");

    private final EmailChangeService emailChange;
    private final CurrentSession current;
    private final SourceAddress source;

    public MyEmailResource(EmailChangeService emailChange, CurrentSession current, SourceAddress source) {
        this.emailChange = emailChange;
        this.current = current;
        this.source = source;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    public Accepted request(EmailChangeRequest request) {
        RequestBodies.require(request);
        RequestBodies.requireFields("password", request.password());
        emailChange.request(current.userId(), request.newEmail(), request.password(), source.ip());
        return ACCEPTED;
    }
}
