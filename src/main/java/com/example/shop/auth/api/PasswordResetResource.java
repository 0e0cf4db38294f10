package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.account.PasswordResetService;
import com.example.shop.auth.api.ApiModels.ResetConfirmRequest;
import com.example.shop.auth.api.ApiModels.ResetRequest;

@Path("/password-reset")
public class PasswordResetResource {

    /** The same body whether or not the account exists. */
    public record Accepted(String message) {
    }

    static final Accepted ACCEPTED = new Accepted(
            "If an account exists for this email, a link to reset its password is on its way.");

    private final PasswordResetService reset;
    private final SourceAddress source;

    public PasswordResetResource(PasswordResetService reset, SourceAddress source) {
        this.reset = reset;
        this.source = source;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    public Accepted request(ResetRequest request) {
        RequestBodies.require(request);
        reset.requestReset(request.email(), source.ip());
        return ACCEPTED;
    }

    @POST
    @Path("confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(204)
    public void confirm(ResetConfirmRequest request) {
        RequestBodies.require(request);
        reset.confirmReset(request.token(), request.newPassword());
    }
}
