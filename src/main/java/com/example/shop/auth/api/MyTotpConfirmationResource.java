package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;

import com.example.shop.auth.account.TotpService;
import com.example.shop.auth.api.ApiModels.RecoveryCodeList;
import com.example.shop.auth.api.ApiModels.TotpConfirmRequest;

/** A code from the app confirms the pending TOTP secret: TOTP is required from now on, and ten recovery codes are shown. */
@Path("/me/mfa/totp/confirm")
@SignedIn
public class MyTotpConfirmationResource {

    private final TotpService totp;
    private final CurrentSession current;

    public MyTotpConfirmationResource(TotpService totp, CurrentSession current) {
        this.totp = totp;
        this.current = current;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public RecoveryCodeList confirm(TotpConfirmRequest request) {
        RequestBodies.require(request);
        RequestBodies.requireFields("code", request.code());
        return new RecoveryCodeList(totp.confirm(current.userId(), current.sessionId(), request.code()));
    }
}
