package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.account.EmailVerificationService;
import com.example.shop.auth.api.ApiModels.VerificationConfirmRequest;
import com.example.shop.auth.api.ApiModels.VerificationRequest;

@Path("/email-verification")
public class EmailVerificationResource {

    /** The same body whether or not an unverified account exists. */
    public record Accepted(String message) {
    }

    static final Accepted ACCEPTED = new Accepted(
            "If an unverified account exists for this email, a new confirmation link is on its way.");

    private final EmailVerificationService verification;
    private final SourceAddress source;

    public EmailVerificationResource(EmailVerificationService verification, SourceAddress source) {
        this.verification = verification;
        this.source = source;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    public Accepted resend(VerificationRequest request) {
        RequestBodies.require(request);
        verification.resend(request.email(), source.ip());
        return ACCEPTED;
    }

    @POST
    @Path("confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(204)
    public void confirm(VerificationConfirmRequest request) {
        RequestBodies.require(request);
        verification.confirm(request.token());
    }
}
